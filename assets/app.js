/* Browser-only behaviour: embed/phone drawer state, the play animation, the graph's size and
   camera, Escape to close the panel, copy-to-clipboard. Everything touching data stays on the server. */
/* Dash serves core-js 2 (polyfill@7), which replaces String trim, parseFloat and parseInt because
   today's engines no longer count U+180E as whitespace (and hides it: its functions print as
   "[native code]"); its versions run regexes on every call, and plotly calls them thousands of
   times per repaint. The engine's own come back from a blank frame (builtins keep working after
   the frame is gone). */
(function () {
  var frame = document.createElement("iframe");
  frame.style.display = "none";
  document.documentElement.appendChild(frame);
  var own = frame.contentWindow;
  if (own && own.parseFloat && own.String) {
    window.parseFloat = Number.parseFloat = own.parseFloat;
    window.parseInt = Number.parseInt = own.parseInt;
    ["trim", "trimStart", "trimEnd", "trimLeft", "trimRight"].forEach(function (name) {
      if (own.String.prototype[name]) { String.prototype[name] = own.String.prototype[name]; }
    });
  }
  frame.remove();
})();

/* The server's config for the page's scripts (components/clientconfig.py): ids, sizes, timings,
   words and formats in the page's language. Nothing below types them again. */
window.allianceConfig = window.allianceConfig ||
  JSON.parse(document.getElementById("alliance-config").textContent);

/* Whether the link turns a flag on (embed=1, scroll=true): the values alliance/viewstate.py takes. */
window.allianceFlag = function (search, name) {
  return window.allianceConfig.flag_on.indexOf(new URLSearchParams(search || "").get(name)) >= 0;
};

(function () {
  var CONFIG = window.allianceConfig, IDS = CONFIG.ids;
  var params = new URLSearchParams(window.location.search);
  var root = document.documentElement;
  if (window.allianceFlag(window.location.search, "embed")) {
    root.classList.add("embed");
  }
  /* Theme: ?theme= (the server already set its class), else the device's prefers-color-scheme. */
  var theme = params.get("theme");
  if (theme !== "dark" && theme !== "light" && window.matchMedia) {
    var dark = window.matchMedia("(prefers-color-scheme: dark)");
    var follow = function () {
      root.classList.toggle("theme-dark", dark.matches);
      root.classList.toggle("theme-light", !dark.matches);
    };
    follow();
    if (dark.addEventListener) { dark.addEventListener("change", follow); }
  }
  /* Language and theme switches: the same view with one parameter changed (a new page load,
     since the page is built in its language). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-param]") : null;
    if (!link) { return; }
    event.preventDefault();
    var next = new URLSearchParams(window.location.search);
    var value = link.getAttribute("data-value");
    var param = link.getAttribute("data-param");
    if (value) { next.set(param, value); } else { next.delete(param); }
    var query = next.toString();
    window.location.assign(window.location.pathname + (query ? "?" + query : ""));
  });
  /* Escape closes the detail panel (the close button carries the callback). */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var panel = document.getElementById(IDS.panel);
    var close = document.getElementById(IDS.panel_close);
    if (panel && !panel.hidden && close) { close.click(); }
  });
  /* AG Grid keeps empty row containers (full-width, sticky rows) marked role="rowgroup"; a rowgroup
     without rows is invalid ARIA, so empty ones become presentational until rows arrive. */
  function tidyGridRoles() {
    var boxes = document.querySelectorAll(".ag-full-width-container, .ag-sticky-top-viewport, " +
      ".ag-sticky-top-full-width-container, .ag-sticky-bottom-viewport, .ag-sticky-bottom-full-width-container, " +
      ".ag-pinned-left-cols-container, .ag-pinned-right-cols-container, .ag-floating-top-container, " +
      ".ag-floating-bottom-container, .ag-floating-top-full-width-container, .ag-floating-bottom-full-width-container");
    boxes.forEach(function (box) {
      var empty = !box.querySelector("[role='row']");
      if (empty && box.getAttribute("role") === "rowgroup") { box.setAttribute("role", "presentation"); }
      if (!empty && box.getAttribute("role") === "presentation") { box.setAttribute("role", "rowgroup"); }
    });
  }
  new MutationObserver(function () { tidyGridRoles(); })
    .observe(document.documentElement, {childList: true, subtree: true});
  /* Report the graph's new size whenever it changes (window resize, drawer opened or closed),
     debounced: labels are placed for the size the server knows. */
  var timer = null, observed = null, lastSize = "";
  function reportSize() {
    var size = graphSize(), key = size.width + "x" + size.height;
    if (key === lastSize) { return; }
    lastSize = key;
    var gd = plotOf();
    if (gd && window.Plotly) { window.Plotly.Plots.resize(gd); }
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(IDS.viewport, {data: size});
    }
  }
  setInterval(function () {
    var graph = document.getElementById(IDS.graph);
    if (!graph || graph === observed || !window.ResizeObserver) { return; }
    observed = graph;
    lastSize = graphSize().width + "x" + graphSize().height;
    new ResizeObserver(function () {
      clearTimeout(timer);
      timer = setTimeout(reportSize, CONFIG.ms.resize_debounce);
    }).observe(graph);
  }, CONFIG.ms.size_poll);
  /* After each drawn month, Play asks for the next one (at most one every CONFIG.ms.play_month), so a slow
     draw slows the animation instead of skipping months. The PNG download is named after the
     view's dates (layout.meta.filename). */
  var hooked = null;
  function afterPlot(gd) {
    var meta = gd.layout && gd.layout.meta;
    if (!meta) { return; }
    markPainted();
    if (!window.alliancePlaying || !meta.slider) { return; }
    var wait = Math.max(0, CONFIG.ms.play_month - (performance.now() - window.allianceLastMonth));
    setTimeout(function () {
      if (!window.alliancePlaying) { return; }
      var set = window.dash_clientside.set_props;
      if (meta.slider[1] >= meta.slider_max) {
        window.alliancePlaying = false;
        set(IDS.playing, {data: false});
        set(IDS.play, {children: CONFIG.words.play});
        return;
      }
      window.allianceLastMonth = performance.now();
      set(IDS.timeline, {value: [meta.slider[0], meta.slider[1] + 1]});
    }, wait);
  }
  /* The sections below the map wait for its first paint (or CONFIG.ms.paint_fallback, should it never come). */
  var painted = false;
  function markPainted() {
    if (painted || !(window.dash_clientside && window.dash_clientside.set_props)) { return; }
    painted = true;
    window.dash_clientside.set_props(IDS.painted, {data: true});
  }
  setInterval(function () {
    var gd = plotOf();
    if (!gd || gd === hooked || !gd.on) { return; }
    if (!hooked) { setTimeout(markPainted, CONFIG.ms.paint_fallback); }  /* the page is up: the fallback starts now */
    hooked = gd;
    gd.on("plotly_afterplot", function () { afterPlot(gd); });
    if (gd.layout && gd.layout.meta) { markPainted(); }  /* drawn before we listened */
  }, CONFIG.ms.poll);
  /* The map's plotly graph div, once drawn. */
  function plotOf() {
    var graph = document.getElementById(IDS.graph);
    return graph && graph.querySelector(".js-plotly-plot");
  }
  function graphSize() {
    var graph = document.getElementById(IDS.graph), page = CONFIG.page;
    var box = graph ? graph.getBoundingClientRect() : null;
    if (!box || box.width < page.measured_min_px || box.height < page.measured_min_px) {
      return {width: Math.max(page.graph_min_px[0], window.innerWidth - page.graph_aside_px),
              height: Math.max(page.graph_min_px[1], window.innerHeight * page.graph_height_share)};
    }
    return {width: Math.round(box.width), height: Math.round(box.height)};
  }
  window.allianceGraphSize = graphSize;
})();

/* The map's download button and the page's clientside callbacks. */
(function () {
  /* plotly's own camera icon (window.Plotly may not be loaded yet when the config is made). */
  var CAMERA_ICON = {width: 1000, height: 1000, transform: "matrix(1 0 0 -1 0 850)",
    path: "m500 450c-83 0-150-67-150-150 0-83 67-150 150-150 83 0 150 67 150 150 0 83-67 150-150 150z " +
      "m400 150h-120c-16 0-34 13-39 29l-31 93c-6 15-23 28-40 28h-340c-16 0-34-13-39-28l-31-94c-6-15-23-28-40-28" +
      "h-120c-55 0-100-45-100-100v-450c0-55 45-100 100-100h800c55 0 100 45 100 100v450c0 55-45 100-100 100z " +
      "m-400-550c-138 0-250 112-250 250 0 138 112 250 250 250 138 0 250-112 250-250 0-138-112-250-250-250z " +
      "m365 380c-19 0-35 16-35 35 0 19 16 35 35 35 19 0 35-16 35-35 0-19-16-35-35-35z"};

  /* The map as a PNG: the figure on screen plus its caption (layout.meta.caption), which the page
     itself leaves out (plotly measures annotations on every repaint; the title above says it). */
  function downloadMap(gd, options) {
    var meta = gd.layout.meta || {};
    var layout = Object.assign({}, gd.layout, {
      annotations: (gd.layout.annotations || []).concat(meta.caption ? [meta.caption] : [])});
    window.Plotly.downloadImage({data: gd.data, layout: layout}, {
      format: options.format || "png", scale: options.scale || 2, filename: meta.filename || options.filename,
      width: gd._fullLayout.width, height: gd._fullLayout.height});
  }


  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    alliance: {
      /* Play starts or stops the animation (assets/app.js steps it after each drawn month); at the end
         of the range it restarts from the window's start. */
      /* A real click on a panel's or section's link (OPEN_DEAL, OPEN_COMPANY, OPEN_CYCLE) goes to
         the PICK store; buttons that merely appear (n_clicks 0) change nothing and ask no server. */
      pick: function () {
        var ctx = window.dash_clientside.callback_context;
        var first = ctx && ctx.triggered && ctx.triggered[0];
        var id = ctx && ctx.triggered_id;
        if (!first || !first.value || !id || typeof id !== "object") { return window.dash_clientside.no_update; }
        return {type: id.type, id: id.id, at: Date.now()};
      },
      togglePlay: function (nClicks, playing, value, max) {
        var no = window.dash_clientside.no_update;
        if (!nClicks) { return [no, no, no]; }
        if (!playing) {
          window.alliancePlaying = true;
          window.allianceLastMonth = performance.now();
          var next = value[1] >= max ? [value[0], value[0]] : [value[0], value[1] + 1];
          return [true, window.allianceConfig.words.pause, next];
        }
        window.alliancePlaying = false;
        return [false, window.allianceConfig.words.play, no];
      },
      /* The graph's size in px, once the page is laid out. */
      viewport: function () {
        return window.allianceGraphSize();
      },
      /* The user's zoom/pan becomes the camera; a reset (double-click, autoscale) goes back to fitting. */
      camera: function (relayout, figure) {
        var no = window.dash_clientside.no_update;
        if (!relayout) { return no; }
        if (relayout["xaxis.autorange"] || relayout.autosize) { return null; }
        var x = relayout["xaxis.range"] || [relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]];
        var y = relayout["yaxis.range"] || [relayout["yaxis.range[0]"], relayout["yaxis.range[1]"]];
        if (x[0] === undefined || y[0] === undefined) { return no; }
        /* layout.meta.fit holds the server's own fit (plotly rewrites layout.xaxis.range in place). */
        var fitted = figure && figure.layout && figure.layout.meta && figure.layout.meta.fit;
        if (fitted && Math.abs(fitted[0] - x[0]) < 1e-6 && Math.abs(fitted[1] - x[1]) < 1e-6) { return null; }
        return {x: x, y: y};
      },
      /* Scroll-zoom off inside embeds unless ?scroll=1; no new config (a full redraw) unless it changes.
         The camera button saves a PNG named after the view's dates, with the map's caption. */
      graphConfig: function (search, config) {
        var wanted = !window.allianceFlag(search, "embed") || window.allianceFlag(search, "scroll");
        if (config && config.scrollZoom === wanted) { return window.dash_clientside.no_update; }
        var options = (config && config.toImageButtonOptions) || {};
        var save = {name: "toImageWithCaption", title: window.allianceConfig.words.download_png,
                    icon: CAMERA_ICON, click: function (gd) { downloadMap(gd, options); }};
        return Object.assign({}, config, {scrollZoom: wanted, modeBarButtonsToAdd: [save]});
      },
      /* Embeds and phones start with the filters collapsed behind their button. */
      controlsOpen: function (search, open) {
        var wide = window.innerWidth > window.allianceConfig.page.phone_max_px;
        var wanted = !window.allianceFlag(search, "embed") && wide;
        return wanted === open ? window.dash_clientside.no_update : wanted;
      },
      copyLink: function (n) {
        if (!n) { return window.dash_clientside.no_update; }
        var url = window.location.href;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url);
        } else {
          var area = document.createElement("textarea");
          area.value = url; document.body.appendChild(area); area.select();
          try { document.execCommand("copy"); } catch (e) { /* the link is shown below anyway */ }
          document.body.removeChild(area);
        }
        return window.allianceConfig.words.copied + url;
      }
    }
  });
})();
