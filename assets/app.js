/* Browser-only behaviour: embed mode class, the play animation tick, copy-to-clipboard. */
(function () {
  var params = new URLSearchParams(window.location.search);
  if (params.get("embed") === "1" || params.get("embed") === "true") {
    document.documentElement.classList.add("embed");
    document.addEventListener("DOMContentLoaded", function () {
      var details = document.querySelector(".controls-wrap");
      if (details) { details.removeAttribute("open"); }
    });
  }
})();

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  alliance: {
    /* Play toggles the interval; at the end of the range it restarts from the window's start. */
    togglePlay: function (nClicks, disabled, value, max) {
      if (!nClicks) { return [window.dash_clientside.no_update, window.dash_clientside.no_update, window.dash_clientside.no_update]; }
      if (disabled) {
        var restart = value[1] >= max ? [value[0], value[0]] : window.dash_clientside.no_update;
        return [false, "❚❚ Pause", restart];
      }
      return [true, "▶ Play", window.dash_clientside.no_update];
    },
    /* Each tick grows the window by one month; stops at the last month. */
    tick: function (n, value, max) {
      if (!n || !value) { return [window.dash_clientside.no_update, window.dash_clientside.no_update, window.dash_clientside.no_update]; }
      if (value[1] >= max) { return [window.dash_clientside.no_update, true, "▶ Play"]; }
      return [[value[0], value[1] + 1], false, "❚❚ Pause"];
    },
    /* Embeds start with the filters collapsed behind their summary button. */
    controlsOpen: function (search) {
      var embed = new URLSearchParams(search || "").get("embed");
      return !(embed === "1" || embed === "true");
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
      return "Link copied: " + url;
    }
  }
});
