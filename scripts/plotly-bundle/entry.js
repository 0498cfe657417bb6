// plotly.js with only what the AI Alliance Map draws (plotly's custom-bundle recipe:
// lib/core, which holds the scatter trace and the layout components, plus Plotly.register).
//   scatter   - the map's nodes, labels and amounts, the SVG edges (assets/map.js)
//   sankey    - the Money flow view (components/flowviews.py)
//   bar       - the company panel's money by year (components/flowviews.py)
// The page loads this bundle unless its dataset has more edges than the map draws in SVG; then it
// loads entry-gl.js's bundle instead, which adds scattergl (components/lightpage.py).
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/bar'),
]);
Plotly.allianceWebGL = false; // assets/map.js draws in SVG with this bundle

module.exports = Plotly;
