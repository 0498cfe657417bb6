/* Gates (components/gates.py): a server callback that follows the view state asks the server only
   when the part of STATE it reads has changed. Each returns the new key for its store, or
   no_update, which sends nothing. Queries are filtered as strings: the server parses what it
   always parsed. */
(function () {
  "use strict";

  function params(query) {
    return (query || "").replace(/^\?/, "").split("&").filter(function (p) { return p !== ""; });
  }
  function name(param) {
    var raw = param.split("=")[0];
    try { return decodeURIComponent(raw); } catch (e) { return raw; }
  }
  function has(query, key) {
    return params(query).some(function (p) { return name(p) === key; });
  }
  function keep(query, keys) {
    return params(query).filter(function (p) { return keys.indexOf(name(p)) >= 0; }).join("&");
  }
  function drop(query, keys) {
    return params(query).filter(function (p) { return keys.indexOf(name(p)) < 0; }).join("&");
  }
  function changed(key, previous) {
    return key === previous ? window.dash_clientside.no_update : key;
  }

  /* The parameters each gate reads or skips: components/gates.py, in the page's config
     (components/clientconfig.py). */
  var CONFIG = window.allianceConfig ||
    (window.allianceConfig = JSON.parse(document.getElementById("alliance-config").textContent));
  var SECTIONS_IGNORE = CONFIG.gates.sections_ignore;
  var STORY_KEEP = CONFIG.gates.story_keep;

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.allianceGates = {
    /* The open company or deal panel (its deals follow the filters), or the stress test's table
       (fail=…), which the panel shows; "" while none is open. */
    panel: function (query, previous) {
      var open = has(query, "company") || has(query, "deal") || has(query, "fail");
      return changed(open ? (query || "") : "", previous);
    },
    /* The story bar: the story and the reader's parameters its links carry. */
    story: function (query, previous) {
      return changed(has(query, "story") ? keep(query, STORY_KEEP) : "", previous);
    },
    /* The embed snippet and the embed's "open full map" link: kept current only while they show. */
    links: function (query, dialogHidden, previous) {
      var embed = params(query).some(function (p) {
        return CONFIG.flag_on.some(function (on) { return p === "embed=" + on; });
      });
      if (dialogHidden !== false && !embed) { return window.dash_clientside.no_update; }
      return changed(query || "", previous);
    },
    /* Cycles, metrics and the table: after the map's first paint, once they came near the screen
       (never in an embed), not during Play, and only when a parameter they read changed. */
    sections: function (query, playing, painted, seen, previous) {
      if (playing === true || !painted || !seen) { return window.dash_clientside.no_update; }
      return changed(drop(query, SECTIONS_IGNORE), previous);
    }
  };
})();
