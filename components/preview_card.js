/* The link-preview card's glue, loaded into kaleido's page after plotly.js and assets/map.js
   (components/preview.py). A figure whose layout.meta carries "alliance_map" (the map data, the
   view's controls and link, the card) is drawn by map.js — the page's own renderer — before
   plotly exports it; any other figure (the Sankey) passes through untouched. */
(function () {
  "use strict";
  var toImage = Plotly.toImage;
  Plotly.toImage = function (gd, options) {
    var spec = gd && gd.layout && gd.layout.meta && gd.layout.meta.alliance_map;
    if (spec) {
      var map = window.allianceMap;
      var figure = map.previewFigure(map.prepare(JSON.parse(spec.bundle)), spec.controls, spec.query, spec.card);
      gd = {data: figure.data, layout: figure.layout, config: gd.config};
    }
    return toImage.call(this, gd, options);
  };
})();
