/* Load only what a screen shows (components/lightpage.py), and the phone header's menu.
   - AG Grid: the page leaves its script out; the stand-in below takes the grid's place and loads
     the real script (URL in <meta name="alliance-grid-script">) when the table comes on screen,
     then renders the real grid with the same props.
   - The sections below the map (cycles, who matters, the table's rows) are asked of the server
     when they come near the screen (store ids.SECTIONS_SEEN). In an embed they are hidden, so never.
   - On narrow screens the header's buttons fold into one menu (button with aria-expanded;
     Escape or a click elsewhere closes it). */
/* The server's config for the page's scripts (components/clientconfig.py): ids, sizes, timings. */
window.allianceConfig = window.allianceConfig ||
  JSON.parse(document.getElementById("alliance-config").textContent);

(function () {
  /* The small plotly.js is deferred (it runs while the renderer waits for its layout). Should
     dcc.Graph mount before it has run, it would fetch Dash's full plotly.min.js, unless
     window.Plotly is there: until then it is a promise of the bundle, which dcc.Graph waits for
     (it takes `Promise.resolve(window.Plotly || load it)`). The bundle's `var Plotly` replaces it. */
  var bundle = document.getElementById(window.allianceConfig.ids.plotly_bundle);
  if (bundle && !window.Plotly) {
    var ready = new Promise(function (resolve, reject) {
      bundle.addEventListener("load", function () { resolve(window.Plotly); });
      bundle.addEventListener("error", reject);
    });
    window.Plotly = {then: function (ok, fail) { return ready.then(ok, fail); }};
  }
})();

(function () {
  var CONFIG = window.allianceConfig, IDS = CONFIG.ids;
  var NEAR = CONFIG.page.near_px + "px";  /* how close to the screen counts as "shown" */

  function whenNear(node, callback, margin) {
    if (!window.IntersectionObserver) { callback(); return function () {}; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { observer.disconnect(); callback(); }
    }, {rootMargin: margin || NEAR});
    observer.observe(node);
    return function () { observer.disconnect(); };
  }

  /* AG Grid, loaded on demand. */
  var meta = document.querySelector('meta[name="alliance-grid-script"]');
  var React = window.React;
  if (meta && React && !window.dash_ag_grid) {
    var loading = null;
    var loadGrid = function () {
      if (!loading) {
        loading = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = meta.getAttribute("content");
          script.onload = function () { resolve(window.dash_ag_grid.AgGrid); };
          script.onerror = reject;
          document.head.appendChild(script);
        });
      }
      return loading;
    };
    var LazyGrid = function (props) {
      var box = React.useRef(null);
      var loaded = React.useState(null), Real = loaded[0], setReal = loaded[1];
      React.useEffect(function () {
        if (Real) { return undefined; }
        /* the table itself on screen: not merely its (still empty) sections near it */
        return whenNear(box.current, function () {
          loadGrid().then(function (Grid) { setReal(function () { return Grid; }); });
        }, "0px");
      }, []);
      if (Real) { return React.createElement(Real, props); }
      return React.createElement("div", {ref: box, id: props.id, style: props.style,
                                         className: "grid-placeholder " + (props.className || "")});
    };
    window.dash_ag_grid = {AgGrid: LazyGrid, lazy: true};
    window.allianceLoadGrid = loadGrid;
  }

  /* The sections: asked for once they come near the screen. */
  var seen = false;
  function watchSections() {
    var first = document.querySelector(".section");
    var set = window.dash_clientside && window.dash_clientside.set_props;
    if (!first || !set) { setTimeout(watchSections, CONFIG.ms.poll); return; }
    whenNear(first, function () {
      if (!seen) { seen = true; window.dash_clientside.set_props(IDS.sections_seen, {data: true}); }
    });
  }
  watchSections();

  /* The phone header's menu. */
  function menuParts() {
    var button = document.getElementById(IDS.header_menu);
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    return button && menu ? {button: button, menu: menu, header: button.closest(".header")} : null;
  }
  function setOpen(parts, open) {
    parts.button.setAttribute("aria-expanded", open ? "true" : "false");
    parts.header.classList.toggle("menu-open", open);
  }
  document.addEventListener("click", function (event) {
    var parts = menuParts();
    if (!parts) { return; }
    if (parts.button.contains(event.target)) {
      setOpen(parts, parts.button.getAttribute("aria-expanded") !== "true");
      return;
    }
    if (parts.button.getAttribute("aria-expanded") !== "true") { return; }
    /* A choice made (a button or a story) or a click elsewhere closes the menu; opening the
       Stories list inside it does not. */
    var inside = parts.menu.contains(event.target);
    var summary = event.target.closest && event.target.closest("summary");
    if (!inside || !summary) { setOpen(parts, false); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var parts = menuParts();
    if (!parts || parts.button.getAttribute("aria-expanded") !== "true") { return; }
    setOpen(parts, false);
    parts.button.focus();
  });
})();
