/* The Sankey's node labels, fitted on screen: plotly places each label beside its node whatever
   its neighbours, so in a crowded column or on a phone names run into each other. After every
   drawing of a Sankey, labels are taken biggest node first; a label that overlaps one already
   placed (or leaves the plot) is shortened with an ellipsis, and hidden when even a short form
   does not fit. Its full name stays in the node's hover and in its <title>. The server folds
   small companies into "N others" (alliance/sankey.py), so few labels ever need this. */
(function () {
  var CONFIG = window.allianceConfig ||
    (window.allianceConfig = JSON.parse(document.getElementById("alliance-config").textContent));
  var MIN_CHARS = 4;  /* a shorter stub than this says nothing: the label is hidden instead */

  function box(element) {
    var r = element.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function clear(candidate, placed, bounds) {
    if (candidate.left < bounds.left || candidate.right > bounds.right) { return false; }
    for (var i = 0; i < placed.length; i++) {
      if (overlaps(candidate, placed[i])) { return false; }
    }
    return true;
  }
  function value(label) {
    var d = label.__data__;
    var node = d && (d.node || d);
    return (node && typeof node.value === "number") ? node.value : 0;
  }

  function fitSankeyLabels(gd) {
    if (!gd || !gd.data || !gd.data[0] || gd.data[0].type !== "sankey") { return; }
    var bounds = box(gd);
    var labels = Array.prototype.slice.call(gd.querySelectorAll(".sankey-node .node-label"));
    labels.forEach(function (label) {
      /* the bound node's own label: plotly may reuse a <text> for another node on a new figure */
      var d = label.__data__;
      var name = d && d.node && typeof d.node.label === "string" ? d.node.label : label.getAttribute("data-full");
      if (name === null) { name = label.textContent; }
      label.setAttribute("data-full", name);
      label.removeAttribute("data-shortened");
      label.removeAttribute("data-hidden");
      label.textContent = name;
      label.style.display = "";
    });
    labels.sort(function (a, b) { return value(b) - value(a); });
    var placed = [];
    labels.forEach(function (label) {
      var full = label.getAttribute("data-full");
      if (!full) { return; }
      var candidate = box(label);
      var chars = full.length;
      while (!clear(candidate, placed, bounds) && chars > MIN_CHARS) {
        chars -= 1;
        label.textContent = full.slice(0, chars).replace(/\s+$/, "") + "…";
        candidate = box(label);
      }
      if (clear(candidate, placed, bounds)) {
        placed.push(candidate);
        if (chars < full.length) { label.setAttribute("data-shortened", "1"); }
      } else {
        label.textContent = "";
        label.style.display = "none";
        label.setAttribute("data-hidden", "1");
      }
    });
  }
  window.allianceFitSankeyLabels = fitSankeyLabels;

  /* The column headers (layout annotations: name, then total) get shorter until no two overlap:
     long name + total, short name + total, short name alone, then cut with an ellipsis. The
     words come from layout.meta.sankey_headers (the catalog's, in the page's language). */
  function setLine(line, text) {
    /* plotly anchors each line at its alignment (text-anchor start, middle or end), so a shorter
       text keeps its place */
    line.textContent = text;
  }
  function fitSankeyHeaders(gd) {
    var meta = gd.layout && gd.layout.meta;
    var headers = meta && meta.sankey_headers;
    if (!headers) { return; }
    var texts = Array.prototype.slice.call(gd.querySelectorAll(".annotation .annotation-text"));
    if (texts.length !== headers.length) { return; }
    var bounds = box(gd);
    var lines = texts.map(function (text) {
      return Array.prototype.slice.call(text.querySelectorAll("tspan.line"));
    });
    function fits() {
      var boxes = [];
      for (var i = 0; i < texts.length; i++) {
        var b = box(texts[i]);
        if (!clear(b, boxes, bounds)) { return false; }
        boxes.push(b);
      }
      return true;
    }
    var levels = [
      function (h) { return [h.name].concat(h.total); },
      function (h) { return [h.short].concat(h.total); },
      function (h) { return [h.short]; },
    ];
    for (var level = 0; level < levels.length && !fits(); level++) {
      lines.forEach(function (parts, i) {
        var words = levels[level](headers[i]);
        parts.forEach(function (line, k) { setLine(line, words[k] || ""); line.style.fontWeight = k ? "" : "bold"; });
      });
    }
    for (var chars = 12; chars >= MIN_CHARS && !fits(); chars--) {
      lines.forEach(function (parts, i) {
        var name = headers[i].short;
        if (parts[0] && name.length > chars) { setLine(parts[0], name.slice(0, chars) + "…"); }
      });
    }
    texts.forEach(function (text) { text.setAttribute("data-fitted", "1"); });
  }
  window.allianceFitSankeyHeaders = fitSankeyHeaders;

  var hooked = null;
  setInterval(function () {
    var graph = document.getElementById(CONFIG.ids.graph);
    var gd = graph && graph.querySelector(".js-plotly-plot");
    if (!gd || gd === hooked || !gd.on) { return; }
    hooked = gd;
    var fit = function () {
      if (window.allianceNoFit) { return; }
      if (!gd.data || !gd.data[0] || gd.data[0].type !== "sankey") { return; }
      fitSankeyHeaders(gd);
      fitSankeyLabels(gd);
    };
    gd.on("plotly_afterplot", fit);
    fit();  /* drawn before we listened */
  }, CONFIG.ms.poll);
})();
