// plotly.js with only what the AI Alliance Map draws (plotly's custom-bundle recipe:
// lib/core, which holds the scatter trace and the layout components, plus Plotly.register).
//   scatter   - the map's nodes, labels and amounts, the SVG edges (assets/map.js)
//   scattergl - the map's edges and nodes above 1,500 edges (assets/map.js)
//   sankey    - the Money flow view (components/flowviews.py)
//   bar       - the company panel's money by year (components/flowviews.py)
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/scattergl'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/bar'),
]);

module.exports = Plotly;
