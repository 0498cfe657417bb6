// The WebGL bundle: entry.js's traces plus
//   scattergl - the map's edges and nodes above 1,500 edges (assets/map.js)
// (regl and the GL shaders, ~83 KB brotli), served instead of entry.js's bundle only when the
// dataset has more edges than the map draws in SVG (components/lightpage.py).
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/scattergl'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/bar'),
]);
Plotly.allianceWebGL = true;

module.exports = Plotly;
