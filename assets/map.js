/* The map: the only program that draws the network figure. The page, the embed and the
   link-preview card (/preview.png, components/preview.py) all draw it with this file.

   The server sends the map's data once per dataset version and language (components/mapdata.py,
   cached by the browser): the deals, the companies' fixed positions, the catalog messages and
   every number the drawing uses (`constants`, from alliance/drawing.py; none is typed here).
   This file filters the deals, sums each flow, places the camera and the labels and builds the
   plotly figure, so a filter change, a timeline step or Play repaints without a round trip.

   The core is pure functions over the bundle ("b") and a view ("v"); it runs in the page, in the
   preview's headless Chromium and in node (tests/js/, `module.exports`). The page's glue at the
   end keeps the only state: the loaded bundles and the key of the last figure drawn (an unchanged
   view is not drawn again). */
(function () {
  "use strict";
  var DAY_MS = 86400000;

  /* Typed arrays and lookups, once per bundle. */
  function prepare(raw) {
    var d = raw.deals, c = raw.companies, f = raw.flows;
    var b = raw;
    b.nDeals = d.id.length;
    b.nCompanies = c.id.length;
    b.dealRow = Object.create(null);
    d.id.forEach(function (id, i) { b.dealRow[id] = i; });
    b.companyRow = Object.create(null);
    c.id.forEach(function (id, i) { b.companyRow[id] = i; });
    b.amount = Float64Array.from(d.amount, function (a) { return a === null ? NaN : a; });
    b.day = Int32Array.from(d.day);
    b.allRoles = c.roles.reduce(function (m, r) { return m | r; }, 0);
    b.typeIndex = {};
    b.types.forEach(function (t, i) { b.typeIndex[t] = i; });
    b.roleIndex = {};
    b.roles.forEach(function (r, i) { b.roleIndex[r] = i; });
    b.flowFrom = f.from; b.flowTo = f.to; b.flowType = f.type;
    b.templates = Object.create(null);
    b.colors = Object.create(null);
    /* A company's hover text but its money in view, which changes with every filter. */
    b.nodeHover = c.id.map(function (id, n) {
      return c.hover[n] + "<br>" + tr(b, "hover.in_view", {deals: count(b, "hover.flow_deals", c.deals[n])});
    });
    return b;
  }

  /* --- the view ------------------------------------------------------------------------------ */

  function strings(values, max) {
    if (!Array.isArray(values) || values.length > max) { return []; }
    return values.filter(function (v) { return typeof v === "string"; });
  }

  function parseDay(text, end) {
    var m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text || "");
    if (!m) { return null; }
    var y = +m[1], mo = +m[2];
    if (m[3]) { return Date.UTC(y, mo - 1, +m[3]) / DAY_MS; }
    return (end ? Date.UTC(y, mo, 0) : Date.UTC(y, mo - 1, 1)) / DAY_MS;
  }

  function monthIndex(b, day) {
    var months = b.months;
    for (var i = 0; i < months.length; i++) {
      if (day <= months[i][1]) { return i; }
    }
    return months.length - 1;
  }

  /* The view from the controls (what the reader just changed) and the STATE query (the
     selection, the view mode and a link's day-precise dates), validated like
     components/controls.py `_state_from_controls`. */
  function view(b, controls, query) {
    var params = new URLSearchParams(query || "");
    var k = b.constants;
    var types = strings(controls.types, k.max_list), roles = strings(controls.roles, k.max_list);
    var months = b.months, last = months.length - 1;
    var lo = 0, hi = last, tl = controls.timeline;
    if (Array.isArray(tl) && tl.length === 2 && tl.every(function (x) { return Number.isInteger(x); })) {
      lo = Math.max(0, Math.min(last, tl[0])); hi = Math.max(0, Math.min(last, tl[1]));
    }
    var from = months[lo][0], to = months[hi][1];
    var linkFrom = parseDay(params.get("from"), false), linkTo = parseDay(params.get("to"), true);
    linkFrom = linkFrom === null ? months[0][0] : linkFrom;
    linkTo = linkTo === null ? months[last][1] : linkTo;
    if (monthIndex(b, linkFrom) === lo && monthIndex(b, linkTo) === hi) { from = linkFrom; to = linkTo; }
    var amount = Number(controls.min_amount || 0);
    if (!(amount >= 0 && amount <= b.max_amount)) { amount = 0; }
    var focus = typeof controls.focus === "string" && controls.focus in b.companyRow ? controls.focus : null;
    var company = params.get("company"), deal = params.get("deal");
    return {
      types: b.types.filter(function (t) { return types.indexOf(t) >= 0; }),
      roles: b.roles.filter(function (r) { return roles.indexOf(r) >= 0; }),
      from: from, to: to, lo: lo, hi: hi, minAmount: amount, focus: focus,
      depth: k.depths.indexOf(controls.depth) >= 0 ? controls.depth : k.depths[0],
      every: strings(controls.every, k.max_list).indexOf("every") >= 0,
      company: company in b.companyRow ? company : null,
      deal: deal in b.dealRow ? deal : null,
      cycle: params.get("cycle"), view: params.get("view") || "network",
      strong: params.get("sources") === "strong",
      money: ["paid", "contracted"].indexOf(controls.money) >= 0 ? controls.money : "all",  /* exposure */
      fail: failing(b, controls.fail),  /* exposure: the stress test's failing companies (rows), or null */
      theme: params.get("theme") === "dark" ? "dark" : "light"
    };
  }

  /* --- filtering and money (alliance/filters.py, alliance/money.py) -------------------------- */

  /* Rows of the deals in view, in dataset order. */
  function filterDeals(b, v) {
    var d = b.deals, rows = [];
    var typeOk = new Uint8Array(b.types.length);
    v.types.forEach(function (t) { typeOk[b.typeIndex[t]] = 1; });
    var wanted = v.roles.reduce(function (m, r) { return m | (1 << b.roleIndex[r]); }, 0);
    var byRole = (b.allRoles & ~wanted) !== 0;
    var roles = b.companies.roles;
    for (var i = 0; i < b.nDeals; i++) {
      if (!typeOk[d.type[i]] || b.day[i] < v.from || b.day[i] > v.to) { continue; }
      if (byRole && (!(roles[d.from[i]] & wanted) || !(roles[d.to[i]] & wanted))) { continue; }
      if (v.minAmount > 0 && !((isNaN(b.amount[i]) ? -1 : b.amount[i]) >= v.minAmount)) { continue; }
      if (v.strong && !d.strong[i]) { continue; }
      /* exposure */
      if (v.money !== "all" && !(d.state[i] === 0 || (v.money === "contracted" && d.state[i] === 1))) { continue; }
      rows.push(i);
    }
    return rows;
  }

  /* Counted dollars per row in view (NaN where nothing counts): a superseded deal counts only
     while the deal replacing it is out of view. */
  function countedAmounts(b, rows) {
    var d = b.deals, replaced = {};
    rows.forEach(function (r) { if (d.supersedes[r] >= 0) { replaced[d.supersedes[r]] = true; } });
    return rows.map(function (r) {
      var live = d.live[r] || (d.superseded[r] && !replaced[r]);
      return d.countable[r] && live ? b.amount[r] : NaN;
    });
  }

  /* --- ledger (exposure: the port of alliance/ledger.py's Ledger.through) --------------------- */
  /* Money through each company in view: payers pay their counted amounts; a round with a known
     total gives its company that total once (or its stated shares, if more) whenever any of its
     live rows is in view, and none of its investors' shares on top. */
  function ledgerThrough(b, rows, amounts) {
    var d = b.deals, through = {}, rounds = {}, replaced = {};
    rows.forEach(function (r) { if (d.supersedes[r] >= 0) { replaced[d.supersedes[r]] = true; } });
    rows.forEach(function (r, i) {
      var a = isNaN(amounts[i]) ? 0 : amounts[i], g = d.round[r];
      through[d.from[r]] = (through[d.from[r]] || 0) + a;
      if (g < 0) { through[d.to[r]] = (through[d.to[r]] || 0) + a; return; }
      if (d.flowing[r] && (d.live[r] || (d.superseded[r] && !replaced[r]))) { rounds[g] = (rounds[g] || 0) + a; }
    });
    Object.keys(rounds).forEach(function (g) {
      var to = b.rounds.to[g];
      through[to] = (through[to] || 0) + Math.max(b.rounds.total[g], rounds[g]);
    });
    return through;
  }
  /* --- end ledger ----------------------------------------------------------------------------- */

  /* --- exposure: the stress test in the browser (a port of alliance/exposure.py) and its colours */
  var STRESS_COLORS = ["#d62728", "#ff7f0e"];  /* lost, at risk (the key says so: components/mapview.py) */

  /* The failing companies' rows from the control (known ids, first seen first), or null. */
  function failing(b, ids) {
    var rows = [];
    strings(ids, b.constants.max_list).forEach(function (id) {
      if (id in b.companyRow && rows.indexOf(b.companyRow[id]) < 0) { rows.push(b.companyRow[id]); }
    });
    return rows.length ? rows : null;
  }

  /* The stress test over the deals in view: alliance/exposure.py's stress_test, ported (a browser
     test checks every deal's kind against /api/exposure's). 1: lost (an unpaid deal a failing
     company owes), 2: at risk (an unpaid deal of a company that lost a share of its inflow), per
     row index; rows of unpaid deals to failing companies are neither. */
  function stressKinds(b, rows, amounts, fail) {
    var d = b.deals, k = b.constants, down = {}, replaced = {}, inflow = {}, rounds = {};
    fail.forEach(function (n) { down[n] = true; });
    rows.forEach(function (r) { if (d.supersedes[r] >= 0) { replaced[d.supersedes[r]] = true; } });
    rows.forEach(function (r, i) {  /* the ledger's inflow: round totals once (ledgerThrough's receivers) */
      var a = isNaN(amounts[i]) ? 0 : amounts[i], g = d.round[r];
      if (g < 0) { inflow[d.to[r]] = (inflow[d.to[r]] || 0) + a; return; }
      if (d.flowing[r] && (d.live[r] || (d.superseded[r] && !replaced[r]))) { rounds[g] = (rounds[g] || 0) + a; }
    });
    Object.keys(rounds).forEach(function (g) {
      var to = b.rounds.to[g];
      inflow[to] = (inflow[to] || 0) + Math.max(b.rounds.total[g], rounds[g]);
    });
    var direct = {}, chain = [], kinds = {};
    rows.forEach(function (r, i) {
      var live = d.flowing[r] && (d.live[r] || (d.superseded[r] && !replaced[r]));
      var unpaid = live && (d.state[r] === 1 || d.state[r] === 2) && (!isNaN(amounts[i]) || d.gw[r] !== null);
      if (!unpaid || down[d.to[r]]) { return; }
      var a = isNaN(amounts[i]) ? 0 : amounts[i];
      if (down[d.from[r]]) { direct[d.to[r]] = (direct[d.to[r]] || 0) + a; kinds[r] = 1; } else { chain.push([r, a]); }
    });
    function share(c, loss) { var inc = inflow[c] || 0; return inc > 0 ? Math.min(1, loss / inc) : 0; }
    var indirect = {};
    for (var sweep = 0; sweep < k.exposure_max_rounds; sweep++) {
      var next = {}, change = 0;
      chain.forEach(function (e) {
        var r = e[0], c = d.from[r];
        next[d.to[r]] = (next[d.to[r]] || 0) + share(c, (direct[c] || 0) + (indirect[c] || 0)) * e[1];
      });
      Object.keys(next).concat(Object.keys(indirect)).forEach(function (c) {
        change = Math.max(change, Math.abs((next[c] || 0) - (indirect[c] || 0)));
      });
      indirect = next;
      if (change <= k.exposure_converged_usd) { break; }
    }
    chain.forEach(function (e) {
      var c = d.from[e[0]];
      if (share(c, (direct[c] || 0) + (indirect[c] || 0)) > 0) { kinds[e[0]] = 2; }
    });
    return kinds;
  }

  /* Per edge 1 (lost), 2 (at risk) or 0, the companies kept bright (failing and hit) and the
     failing ones; null unless a company fails. */
  function stressTints(b, v, rows, amounts, edges) {
    if (!v.fail) { return null; }
    var d = b.deals, kind = stressKinds(b, rows, amounts, v.fail), byCurve = {}, nodes = {}, failingSet = {};
    v.fail.forEach(function (n) { failingSet[n] = true; nodes[n] = true; });
    rows.forEach(function (r) {
      var t = kind[r];
      if (!t) { return; }
      var key = v.every ? r : d.flow[r];
      byCurve[key] = byCurve[key] === 1 ? 1 : t;  /* a flow holding a lost deal is lost */
      nodes[d.from[r]] = true; nodes[d.to[r]] = true;
    });
    return {tints: edges.map(function (e) { return byCurve[e.curve] || 0; }), nodes: nodes, failing: failingSet};
  }


  /* A red ring around each failing company in view. */
  function failingTrace(b, nodes, sizes, points, failingSet) {
    var at = nodes.map(function (n, i) { return i; }).filter(function (i) { return failingSet[nodes[i]]; });
    return {type: "scatter", mode: "markers", name: "failing", showlegend: false, hoverinfo: "skip",
            x: at.map(function (i) { return round(points[i][0], 5); }),
            y: at.map(function (i) { return round(points[i][1], 5); }),
            marker: {symbol: "circle-open", size: at.map(function (i) { return sizes[i] + 10; }),
                     color: STRESS_COLORS[0], line: {width: 3, color: STRESS_COLORS[0]}}};
  }
  /* --- end exposure --------------------------------------------------------------------------- */

  /* --- edges --------------------------------------------------------------------------------- */

  function edgeTable(b, rows, amounts, every) {
    var d = b.deals, edges = [];
    if (every) {
      rows.forEach(function (r, i) {
        edges.push({curve: r, type: d.type[r], amount: amounts[i], upTo: !!d.up_to[r], count: 1,
                    from: d.from[r], to: d.to[r], first: d.id[r], firstRow: r, undisclosed: isNaN(amounts[i]) ? 1 : 0});
      });
      return edges;
    }
    var byFlow = {};
    rows.forEach(function (r, i) {
      var key = d.flow[r], e = byFlow[key], a = amounts[i], has = !isNaN(a);
      if (!e) {
        e = byFlow[key] = {curve: key, type: b.flowType[key], stated: 0, disclosed: 0, upTo: false, count: 0,
                           from: b.flowFrom[key], to: b.flowTo[key], first: d.id[r], firstRow: r,
                           start: b.day[r], end: b.day[r]};
      }
      e.count += 1;
      if (has) { e.stated += a; e.disclosed += 1; }
      if (has && d.up_to[r]) { e.upTo = true; }  /* a replaced "up to" deal no longer makes its flow one */
      if (b.day[r] < e.start) { e.start = b.day[r]; }
      if (b.day[r] > e.end) { e.end = b.day[r]; }
    });
    Object.keys(byFlow).map(Number).sort(function (x, y) { return x - y; }).forEach(function (key) {
      var e = byFlow[key];
      e.amount = e.disclosed > 0 ? e.stated : NaN;
      e.undisclosed = e.count - e.disclosed;
      edges.push(e);
    });
    return edges;
  }

  function edgeWidth(k, amount) {
    if (isNaN(amount) || amount <= k.thin_below_usd) { return k.width_range[0]; }
    return Math.min(k.width_range[1], k.width_range[0] + k.width_per_decade * Math.log10(amount / k.thin_below_usd));
  }

  function widthStep(k, width) {
    var best = k.width_steps[0];
    k.width_steps.forEach(function (s) { if (Math.abs(width - s) < Math.abs(width - best)) { best = s; } });
    return best;
  }

  function curvePoints(b, e, every, straight) {
    var src = every ? b.deals : b.flows, key = e.curve;
    var c = b.companies, k = b.constants;
    var x0 = c.x[e.from], y0 = c.y[e.from], x2 = c.x[e.to], y2 = c.y[e.to], x1 = src.cx[key], y1 = src.cy[key];
    var n = k.curve_points - 1, steps = straight ? [0, k.arrow_point, n] : null, pts = [];
    for (var j = 0; j <= (straight ? 2 : n); j++) {
      var t = (straight ? steps[j] : j) / n, u = 1 - t;
      pts.push([u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2]);
    }
    return pts;
  }

  /* --- text (alliance/i18n.py) --------------------------------------------------------------- */

  /* CLDR plural rules by the name the catalog gives (plural.rule): alliance/i18n.py PLURAL_RULES. */
  var PLURAL_RULES = {
    one_other: function (n) { return n === 1 ? "one" : "other"; },
    east_slavic: function (n) {
      if (n % 10 === 1 && n % 100 !== 11) { return "one"; }
      if (n % 10 >= 2 && n % 10 <= 4 && !(n % 100 >= 12 && n % 100 <= 14)) { return "few"; }
      return "many";
    }
  };

  function pluralForm(b, n) {
    return PLURAL_RULES[b.strings["plural.rule"]](Math.abs(Math.trunc(n)));
  }

  /* A catalog message with its {placeholders} filled (unknown ones kept); `n` picks the plural. */
  function tr(b, key, values) {
    var message = b.strings[key];
    values = values || {};
    if (message && typeof message === "object") {
      var form = pluralForm(b, values.n || 0);
      message = message[form] || message.other || message.many || "";
    }
    var parts = b.templates[message] || (b.templates[message] = String(message).split(/\{(\w+)\}/));
    var out = parts[0];
    for (var i = 1; i < parts.length; i += 2) {
      out += (parts[i] in values ? String(values[parts[i]]) : "{" + parts[i] + "}") + parts[i + 1];
    }
    return out;
  }

  /* The nearest integer, an exact half rounded up (alliance/drawing.py round_half_up). */
  function roundHalfUp(value) { return Math.floor(value + 0.5); }

  /* A number given in units of 10^-digits, written with the catalog's separators (number.decimal,
     number.group), trailing zeros dropped, thousands grouped if `group`: alliance/i18n.py _fixed. */
  function fixed(b, scaled, digits, group) {
    var scale = Math.pow(10, digits), whole = String(Math.floor(Math.abs(scaled) / scale));
    if (group) { whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, b.strings["number.group"]); }
    var tail = digits ? String(Math.abs(scaled) % scale) : "";
    while (tail.length < digits) { tail = "0" + tail; }
    tail = tail.replace(/0+$/, "");
    return (scaled < 0 ? "-" : "") + whole + (tail ? b.strings["number.decimal"] + tail : "");
  }

  function grouped(b, value) {
    return fixed(b, roundHalfUp(value), 0, true);
  }

  /* $10B, $650M, $1.25B / 10 млрд $: the biggest unit the amount reaches, money_digits decimals
     at most, an exact half up ($1.125B -> $1.13B), moving up a unit when it rounds to 1000
     ($999,999,999 -> $1B): alliance/drawing.py money_parts, which alliance/i18n.py money uses. */
  function money(b, amount) {
    var k = b.constants, scale = Math.pow(10, k.money_digits), units = k.money_units.concat([[1, null]]);
    for (var i = 0; i < units.length; i++) {
      var unit = units[i][1];
      if (!(amount >= units[i][0]) && unit !== null) { continue; }
      var scaled = unit !== null ? roundHalfUp(amount / (units[i][0] / scale)) : roundHalfUp(amount) * scale;
      if (scaled >= 1000 * scale && i > 0) {  /* rounds up into the next unit */
        unit = units[i - 1][1];
        scaled = roundHalfUp(amount / (units[i - 1][0] / scale));
      }
      if (unit === null) { return tr(b, "money.plain", {value: grouped(b, scaled / scale)}); }
      return tr(b, "money." + unit, {value: fixed(b, scaled, k.money_digits, false)});
    }
  }

  function amountLabel(b, amount, upTo) {
    return upTo ? tr(b, "amount.up_to", {amount: money(b, amount)}) : money(b, amount);
  }

  function monthYear(b, day) {
    var date = new Date(day * DAY_MS);
    return b.strings["month.short"][date.getUTCMonth()] + " " + date.getUTCFullYear();
  }

  function dateRange(b, from, to) {
    var first = monthYear(b, from), last = monthYear(b, to);
    return first === last ? first : first + " – " + last;
  }

  function count(b, key, n) {
    return tr(b, key, {n: n, count: grouped(b, n)});
  }

  function flowHover(b, e) {
    var c = b.companies, stated;
    if (isNaN(e.amount)) {
      stated = tr(b, "hover.no_stated_amount");
    } else {
      stated = tr(b, "hover.stated", {amount: amountLabel(b, e.amount, e.upTo)});
      if (e.undisclosed) { stated += tr(b, "hover.undisclosed_extra", {n: e.undisclosed}); }
    }
    var span = dateRange(b, e.start, e.end);
    return "<b>" + c.name[e.from] + " → " + c.name[e.to] + "</b><br>" + b.strings.deal_type[b.types[e.type]] +
      " · " + stated + "<br>" + count(b, "hover.flow_deals", e.count) + " · " + span + "<br><i>" +
      tr(b, "hover.click") + "</i>";
  }

  /* Estimated rendered width in px, on the wide side (per-character classes and widths from the
     constants), so a placed label never touches another in the browser. */
  function textWidth(k, text, size) {
    var em = k.text_em, width = 0;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (k.text_narrow.indexOf(ch) >= 0) { width += em.narrow; }
      else if (k.text_wide.indexOf(ch) >= 0) { width += em.wide; }
      else if ((ch !== ch.toLowerCase() && ch === ch.toUpperCase()) || /[0-9]/.test(ch) ||
               k.text_tall.indexOf(ch) >= 0) { width += em.capital; }
      else { width += em.lower; }
    }
    return width * size;
  }

  /* --- geometry in px ------------------------------------------------------------------------ */

  function fitRanges(k, points, plot, radius, reserve) {
    var ranges = [];
    for (var axis = 0; axis < 2; axis++) {
      var lo = Infinity, hi = -Infinity;
      points.forEach(function (p) { lo = Math.min(lo, p[axis]); hi = Math.max(hi, p[axis]); });
      if (hi - lo < k.min_span) { var mid = (lo + hi) / 2; lo = mid - k.min_span / 2; hi = mid + k.min_span / 2; }
      var padLo = radius + k.fit_pad_px[axis], padHi = padLo + (axis === 0 ? reserve : 0);
      var usable = Math.max(plot[axis] - padLo - padHi, plot[axis] * k.fit_min_share);
      var perPx = (hi - lo) / usable;
      ranges.push([lo - padLo * perPx, hi + padHi * perPx]);
    }
    return ranges;
  }

  function camera(k, canvas, points, mustShow, radius) {
    if (canvas.x && canvas.y) {
      var x = canvas.x, y = canvas.y;
      var inside = mustShow.every(function (p) {
        return p[0] >= x[0] && p[0] <= x[1] && p[1] >= y[0] && p[1] <= y[1];
      });
      if (inside && x[1] > x[0] && y[1] > y[0]) { return [x, y]; }
    }
    return fitRanges(k, points, canvas.plot, radius, canvas.reserve);
  }

  function toPx(p, xr, yr, plot) {
    return [(p[0] - xr[0]) / (xr[1] - xr[0]) * plot[0], (yr[1] - p[1]) / (yr[1] - yr[0]) * plot[1]];
  }

  function overlap(a, c) { return a[0] < c[2] && c[0] < a[2] && a[1] < c[3] && c[1] < a[3]; }

  /* [x0, y0, x1, y1] of the text plotly draws at `position` beside a marker of `radius` px at
     (x, y), in screen px (y down): plotly.js textPointPosition puts it radius / 0.8 + 1 px from
     the centre, its baseline 0.75 of the size below the anchor. */
  function textBox(k, x, y, radius, position, width, size) {
    var r = radius ? radius / k.marker_text_ratio + 1 : 0;
    var sign = position.indexOf("top") >= 0 ? -1 : position.indexOf("bottom") >= 0 ? 1 : 0;
    var baseline = y + size * k.baseline_em + sign * r + (sign - 1) * size / 2;
    var left = position.indexOf("right") >= 0 ? x + r : position.indexOf("left") >= 0 ? x - r - width : x - width / 2;
    return [left, baseline - size * k.ascent_em, left + width, baseline + size * k.descent_em];
  }

  /* Labels without collisions: greedy in the candidates' (rank) order, each trying the positions
     around its marker until one lies inside the plot and clear of every obstacle (markers, amount
     labels, the panel) and every label already placed, its own marker excepted. A label that fits
     nowhere is dropped (the name still shows on hover). Boxes sit on a grid for fast queries.
     Returns {candidate key: textposition}. */
  function placeLabels(k, candidates, obstacles, plot) {
    var CELL = k.label_grid_px, POSITIONS = k.label_positions, gap = k.label_pad_px;
    var grid = {}, placed = {};
    function keys(box) {
      var out = [];
      for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
        for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) { out.push(gx + "," + gy); }
      }
      return out;
    }
    function add(box) { keys(box).forEach(function (key) { (grid[key] = grid[key] || []).push(box); }); }
    function hits(box, own) {
      return keys(box).some(function (key) {
        return (grid[key] || []).some(function (o) {
          if (o[0] === own[0] && o[1] === own[1] && o[2] === own[2] && o[3] === own[3]) { return false; }
          return overlap(box, o);
        });
      });
    }
    obstacles.forEach(add);
    candidates.forEach(function (c) {
      var own = [c.x - c.r, c.y - c.r, c.x + c.r, c.y + c.r], width = textWidth(k, c.text, c.size);
      for (var i = 0; i < POSITIONS.length; i++) {
        var t = textBox(k, c.x, c.y, c.r, POSITIONS[i], width, c.size);
        var box = [t[0] - gap, t[1] - gap, t[2] + gap, t[3] + gap];
        if (box[0] < 0 || box[1] < 0 || box[2] > plot[0] || box[3] > plot[1] || hits(box, own)) { continue; }
        add(box);
        placed[c.key] = POSITIONS[i];
        return;
      }
    });
    return placed;
  }

  var RGBA = Object.create(null);
  function rgba(hex, alpha) {
    var key = hex + alpha;
    return RGBA[key] || (RGBA[key] = "rgba(" + parseInt(hex.slice(1, 3), 16) + "," + parseInt(hex.slice(3, 5), 16) +
      "," + parseInt(hex.slice(5, 7), 16) + "," + alpha + ")");
  }

  function round(x, digits) { var f = Math.pow(10, digits); return Math.round(x * f) / f; }

  /* Indexes of the `k` biggest positive values, biggest first, ties in index order (a stable
     sort's first k, without sorting thousands of edges). */
  function topK(values, k) {
    var best = [];
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (!(v > 0) || (best.length === k && v <= values[best[k - 1]])) { continue; }
      var at = best.length;
      while (at > 0 && values[best[at - 1]] < v) { at--; }
      best.splice(at, 0, i);
      if (best.length > k) { best.pop(); }
    }
    return best;
  }

  /* Stable descending order of `values` (ties keep their order), like numpy's stable argsort. */
  function rankDesc(values) {
    return values.map(function (v, i) { return i; }).sort(function (i, j) { return values[j] - values[i] || i - j; });
  }

  /* --- the figure ---------------------------------------------------------------------------- */

  function emptyFigure(b, theme) {
    var colors = b.themes[theme], k = b.constants, m = k.empty_margin_px;
    return {data: [], layout: Object.assign({}, colors.layout, {
      xaxis: {visible: false}, yaxis: {visible: false}, margin: {l: m, r: m, t: m, b: m},
      annotations: [{text: tr(b, "map.no_deals"), showarrow: false, font: {size: k.empty_font_px, color: colors.muted},
                     xref: "paper", yref: "paper", x: 0.5, y: 0.5}]
    })};
  }

  function neighbourhood(b, rows, focus, depth) {
    var d = b.deals, adjacency = {};
    rows.forEach(function (r) {
      (adjacency[d.from[r]] = adjacency[d.from[r]] || []).push(d.to[r]);
      (adjacency[d.to[r]] = adjacency[d.to[r]] || []).push(d.from[r]);
    });
    var reached = {}, frontier = [focus];
    reached[focus] = true;
    for (var step = 0; step < depth; step++) {
      var next = [];
      frontier.forEach(function (n) {
        (adjacency[n] || []).forEach(function (m) { if (!reached[m]) { reached[m] = true; next.push(m); } });
      });
      frontier = next;
    }
    return reached;
  }

  /* What a chosen cycle (found by the server) or the focus neighbourhood keeps bright, or null
     (components/flowviews.py highlight: a cycle wins over the focus). */
  function highlight(b, v, rows, cycle) {
    var row = b.companyRow;
    if (cycle && v.cycle && cycle.cycle === v.cycle) {
      var nodes = {}, deals = {};
      cycle.companies.forEach(function (id) { if (id in row) { nodes[row[id]] = true; } });
      cycle.deals.forEach(function (id) { deals[id] = true; });
      return {nodes: nodes, deals: deals};
    }
    if (v.focus !== null) { return {nodes: neighbourhood(b, rows, row[v.focus], v.depth), deals: null}; }
    return null;
  }

  /* Which edges and companies stay bright: an open deal or company (soft dimming), else the
     cycle's deals or the focus neighbourhood, else everything. */
  function brightness(b, v, rows, edges, highlighted) {
    var d = b.deals;
    if (v.deal !== null) {
      var r = b.dealRow[v.deal], key = v.every ? r : d.flow[r], parties = {};
      parties[d.from[r]] = true; parties[d.to[r]] = true;
      return {soft: true, nodes: parties, edge: edges.map(function (e) { return e.curve === key; })};
    }
    if (v.company !== null) {
      var c = b.companyRow[v.company], touched = {};
      touched[c] = true;
      var edge = edges.map(function (e) {
        var hit = e.from === c || e.to === c;
        if (hit) { touched[e.from] = true; touched[e.to] = true; }
        return hit;
      });
      return {soft: true, nodes: touched, edge: edge};
    }
    if (highlighted && highlighted.deals) {
      var curves = {};
      rows.forEach(function (row) {
        if (highlighted.deals[d.id[row]]) { curves[v.every ? row : d.flow[row]] = true; }
      });
      return {soft: false, nodes: highlighted.nodes, edge: edges.map(function (e) { return !!curves[e.curve]; })};
    }
    if (highlighted) {
      var near = highlighted.nodes;
      return {soft: false, nodes: near, edge: edges.map(function (e) { return !!near[e.from] && !!near[e.to]; })};
    }
    return {soft: false, nodes: null, edge: edges.map(function () { return true; })};
  }

  function networkFigure(b, v, canvas, cycle) {
    var k = b.constants, colors = b.themes[v.theme], palette = colors.deal_colors, c = b.companies;
    var rows = filterDeals(b, v);
    var caption = tr(b, "map.caption", {range: dateRange(b, v.from, v.to), deals: count(b, "map.deals", rows.length)});
    if (!rows.length) { return {figure: emptyFigure(b, v.theme), rows: rows}; }
    var amounts = countedAmounts(b, rows);
    var edges = edgeTable(b, rows, amounts, v.every);
    var highlighted = highlight(b, v, rows, cycle);
    var lit = brightness(b, v, rows, edges, highlighted);
    var stress = stressTints(b, v, rows, amounts, edges);  /* exposure: lost red, at risk orange, the rest dimmed */
    if (stress) { lit = {soft: false, nodes: stress.nodes, edge: stress.tints.map(function (t) { return t > 0; })}; }
    var dimming = lit.nodes !== null, dimAlpha = lit.soft ? k.soft_dim_alpha : k.dim_alpha;
    var outlined = v.company !== null ? v.company : v.focus;
    var selected = outlined !== null ? b.companyRow[outlined] : -1;

    /* Companies in view (payers first, then receivers, first seen first) and their money. */
    var d = b.deals, seen = {}, nodes = [];
    rows.forEach(function (r) { if (!seen[d.from[r]]) { seen[d.from[r]] = true; nodes.push(d.from[r]); } });
    rows.forEach(function (r) { if (!seen[d.to[r]]) { seen[d.to[r]] = true; nodes.push(d.to[r]); } });
    if (selected >= 0 && !seen[selected]) { nodes.push(selected); }
    var through = ledgerThrough(b, rows, amounts);
    var nodeMoney = nodes.map(function (n) { return through[n] || 0; });
    var sizes = nodeMoney.map(function (m) {
      var share = Math.min(1, Math.sqrt(Math.max(m, 0) / (b.node_peak || 1)));
      return round(k.min_node_px + (k.max_node_px - k.min_node_px) * share, 1);
    });
    var points = nodes.map(function (n) { return [c.x[n], c.y[n]]; });
    var mustShow = lit.soft ? Object.keys(lit.nodes).map(function (n) { return [c.x[n], c.y[n]]; }) : [];
    var ranges = camera(k, canvas, points, mustShow, Math.max.apply(null, sizes) / 2);
    var xr = ranges[0], yr = ranges[1], plot = canvas.plot;
    var nodePx = points.map(function (p) { return toPx(p, xr, yr, plot); });

    /* Edge curves, widths and styles. */
    /* WebGL or SVG by the dataset's size, not the view's: a view crossing the threshold (one deal
       type, then all again) would otherwise build a new WebGL context, ~0.4 s at 1k/5k. */
    var big = (v.every ? b.deals.id.length : b.flows.from.length) > k.webgl_edges;
    var straight = edges.length > k.straight_edges;
    var curves = edges.map(function (e) { return curvePoints(b, e, v.every, straight); });
    var widths = edges.map(function (e) { return edgeWidth(k, e.amount); });
    /* What the trace builders below share: the drawing (scene), the edges and the companies. */
    var scene = {b: b, k: k, colors: colors, palette: palette, xr: xr, yr: yr, plot: plot, big: big,
                 straight: straight, dimming: dimming || !!stress, dimAlpha: dimAlpha, tints: stress && stress.tints};
    var drawn = {edges: edges, curves: curves, widths: widths, bright: lit.edge};
    var companies = {nodes: nodes, money: nodeMoney, sizes: sizes, points: points, px: nodePx};
    var groups = edgeGroups(scene, drawn);
    var traces = big ? edgeTraces(groups, curves) : [];
    var shapes = big ? [] : edgeShapes(groups, curves);
    traces.push(arrowTrace(scene, drawn));
    var notes = amountLabels(scene, drawn, companies, [plot[0] - canvas.reserve, plot[1]]);
    var obstacles = notes.boxes.slice();
    if (canvas.reserve) { obstacles.push([plot[0] - canvas.reserve, 0, plot[0], plot[1]]); }
    var placed = nodeLabels(scene, companies, obstacles, selected, highlighted && highlighted.nodes);
    nodeTraces(scene, companies, placed, lit.nodes, selected).forEach(function (t) { traces.push(t); });
    if (stress) { traces.push(failingTrace(b, nodes, sizes, points, stress.failing)); }
    traces.push(notes.trace);
    var axis = {visible: false, showgrid: false, zeroline: false, autorange: false, fixedrange: false};
    var xRange = [round(xr[0], 5), round(xr[1], 5)];
    var layout = Object.assign({}, colors.layout, {
      xaxis: Object.assign({}, axis, {range: xRange}),
      yaxis: Object.assign({}, axis, {range: [round(yr[0], 5), round(yr[1], 5)]}),
      showlegend: false, margin: Object.assign({}, k.margin), hovermode: "closest", dragmode: "pan",
      shapes: shapes, uirevision: (v.company || v.focus || "") + "|" + (v.deal || ""),
      meta: {labels: Object.keys(placed).length, edges: edges.length, nodes: nodes.length, fit: xRange,
             caption: {text: caption, xref: "paper", yref: "paper", x: 1, y: 0, xanchor: "right", yanchor: "top",
                       yshift: k.caption_shift_px, showarrow: false,
                       font: {size: k.caption_font_px, color: colors.muted}}}
    });
    return {figure: {data: traces, layout: layout}, rows: rows};
  }

  /* Style groups (type × width step × dash × bright), in that order: [line, edge indexes]. */
  function edgeGroups(scene, drawn) {
    var b = scene.b, k = scene.k, edges = drawn.edges, widths = drawn.widths, bright = drawn.bright;
    var tints = scene.tints;
    var groups = {}, order = [], steps = k.width_steps, dashes = ["solid", "dash", "dot"];
    edges.forEach(function (e, i) {
      var dash = isNaN(e.amount) ? 2 : e.upTo ? 1 : 0;
      var slot = tints && tints[i] ? b.types.length + tints[i] - 1 : e.type;  /* exposure: tinted edges group apart */
      var key = ((slot * 2 + (bright[i] ? 1 : 0)) * 16 + steps.indexOf(widthStep(k, widths[i]))) * 4 + dash;
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(i);
    });
    order.sort(function (p, q) { return p - q; });  /* by type, bright, width, dash */
    return order.map(function (key) {
      var dash = key % 4, step = Math.floor(key / 4) % 16, lit = Math.floor(key / 64) % 2;
      var type = Math.floor(key / 128);
      var alpha = lit || !scene.dimming ? k.edge_alpha : scene.dimAlpha;
      var hex = type >= b.types.length ? STRESS_COLORS[type - b.types.length] : scene.palette[b.types[type]];
      return [{color: rgba(hex, alpha), width: steps[step], dash: dashes[dash]}, groups[key]];
    });
  }

  /* Thousands of edges: WebGL line traces, NaN-separated, in typed arrays. */
  function edgeTraces(groups, curves) {
    return groups.map(function (group) {
      var per = curves[group[1][0]].length + 1, n = group[1].length * per;
      var x = new Float64Array(n).fill(NaN), y = new Float64Array(n).fill(NaN), at = 0;
      group[1].forEach(function (i) {
        var pts = curves[i];
        for (var j = 0; j < pts.length; j++) { x[at + j] = pts[j][0]; y[at + j] = pts[j][1]; }
        at += per;
      });
      return {type: "scattergl", mode: "lines", x: x, y: y, hoverinfo: "skip", showlegend: false, line: group[0]};
    });
  }

  /* Otherwise one SVG path shape per group, a quadratic Bézier per edge (one <path> each, where a
     line trace would draw one per curve). */
  function edgeShapes(groups, curves) {
    return groups.map(function (group) {
      var path = group[1].map(function (i) {
        var p = curves[i], a = p[0], m = p[Math.floor(p.length / 2)], z = p[p.length - 1];
        var cx = 2 * m[0] - (a[0] + z[0]) / 2, cy = 2 * m[1] - (a[1] + z[1]) / 2;
        return "M" + a[0].toFixed(4) + "," + a[1].toFixed(4) + "Q" + cx.toFixed(4) + "," + cy.toFixed(4) + " " +
          z[0].toFixed(4) + "," + z[1].toFixed(4);
      }).join("");
      return {type: "path", path: path, xref: "x", yref: "y", layer: "below", line: group[0]};
    });
  }

  function arrowTrace(scene, drawn) {
    var b = scene.b, k = scene.k, big = scene.big, tints = scene.tints, at = scene.straight ? 1 : k.arrow_point;
    var d = b.deals, edges = drawn.edges, curves = drawn.curves;
    var marker = {
      size: drawn.widths.map(function (w) { return round(k.arrow_px + k.arrow_gain * w, 1); }),
      color: edges.map(function (e, i) {
        var hex = tints && tints[i] ? STRESS_COLORS[tints[i] - 1] : scene.palette[b.types[e.type]];  /* exposure */
        return rgba(hex, drawn.bright[i] || !scene.dimming ? k.arrow_alpha : scene.dimAlpha);
      }),
      line: {width: 0}
    };
    if (big) {
      marker.symbol = "circle";
    } else {
      marker.symbol = "triangle-up";
      marker.angle = curves.map(function (pts) {
        var a = toPx(pts[at - 1], scene.xr, scene.yr, scene.plot);
        var z = toPx(pts[at + 1], scene.xr, scene.yr, scene.plot);
        return round(Math.atan2(z[0] - a[0], -(z[1] - a[1])) * 180 / Math.PI, 1);
      });
    }
    var trace = {
      type: big ? "scattergl" : "scatter", mode: "markers", name: "deals", showlegend: false, marker: marker,
      x: curves.map(function (p) { return round(p[at][0], 4); }),
      y: curves.map(function (p) { return round(p[at][1], 4); }),
      customdata: edges.map(function (e) {
        var type = b.types[e.type], c = b.companies.id;
        return e.count === 1 ? ["deal", e.first, type] : ["company", c[e.from], type, c[e.to], e.count];
      })
    };
    if (big) {
      trace.hoverinfo = "none";
    } else {
      trace.hoverinfo = "text";
      trace.hovertext = edges.map(function (e) { return e.count === 1 ? d.hover[e.firstRow] : flowHover(b, e); });
    }
    return trace;
  }

  function amountLabels(scene, drawn, companies, labelPlot) {
    var b = scene.b, k = scene.k, edges = drawn.edges, curves = drawn.curves, bright = drawn.bright;
    var nodePx = companies.px, sizes = companies.sizes;
    var stated = edges.map(function (e, i) { return isNaN(e.amount) || !bright[i] ? 0 : e.amount; });
    var order = topK(stated, k.amount_labels);
    var nodeBoxes = nodePx.map(function (p, i) {
      return [p[0] - sizes[i] / 2, p[1] - sizes[i] / 2, p[0] + sizes[i] / 2, p[1] + sizes[i] / 2];
    });
    var taken = [], x = [], y = [], texts = [];
    order.forEach(function (i) {
      var pts = curves[i], n = pts.length, half = Math.floor(n / 2);
      var tries = n > 3 ? [half, half - 1, half + 1] : [1];
      var text = amountLabel(b, edges[i].amount, edges[i].upTo);
      var width = textWidth(k, text, k.amount_font_px) + k.amount_pad_px[0];
      var height = k.amount_font_px * k.amount_line_em + k.amount_pad_px[1];
      for (var t = 0; t < tries.length; t++) {
        var p = toPx(pts[tries[t]], scene.xr, scene.yr, scene.plot);
        var box = [p[0] - width / 2, p[1] - height / 2, p[0] + width / 2, p[1] + height / 2];
        if (box[0] < 0 || box[1] < 0 || box[2] > labelPlot[0] || box[3] > labelPlot[1]) { continue; }
        if (taken.concat(nodeBoxes).some(function (o) { return overlap(box, o); })) { continue; }
        taken.push(box);
        x.push(round(pts[tries[t]][0], 4)); y.push(round(pts[tries[t]][1], 4)); texts.push(text);
        break;
      }
    });
    return {trace: {type: "scatter", mode: "text", name: "amounts", x: x, y: y, text: texts,
                    textposition: "middle center", hoverinfo: "skip", showlegend: false,
                    textfont: {size: k.amount_font_px, color: scene.colors.ink, shadow: "auto"}}, boxes: taken};
  }

  /* Names for every company with >= $1B in view, or the top 40 by money; the outlined company
     and the highlighted ones (focus, cycle) first. */
  function nodeLabels(scene, companies, obstacles, selected, highlighted) {
    var k = scene.k, c = scene.b.companies, nodes = companies.nodes, inView = companies.money;
    var sizes = companies.sizes, nodePx = companies.px;
    var ranked = rankDesc(inView);
    var wanted = ranked.slice(0, k.label_max_candidates)
      .filter(function (i) { return inView[i] >= k.label_min_money; });
    var chosen = {};
    wanted.forEach(function (i) { chosen[i] = true; });
    ranked.slice(0, k.label_min_count).forEach(function (i) { if (!chosen[i]) { wanted.push(i); } });
    var first = [];
    nodes.forEach(function (n, i) { if (n === selected) { first.push(i); } });
    if (highlighted) {
      ranked.forEach(function (i) { if (highlighted[nodes[i]] && nodes[i] !== selected) { first.push(i); } });
    }
    var done = {}, order = [];
    first.concat(wanted).forEach(function (i) { if (!done[i]) { done[i] = true; order.push(i); } });
    var candidates = order.map(function (i) {
      return {key: i, x: nodePx[i][0], y: nodePx[i][1], r: sizes[i] / 2, text: c.name[nodes[i]], size: k.label_font_px};
    });
    var markers = nodePx.map(function (p, i) {
      return [p[0] - sizes[i] / 2, p[1] - sizes[i] / 2, p[0] + sizes[i] / 2, p[1] + sizes[i] / 2];
    });
    return placeLabels(k, candidates, markers.concat(obstacles), scene.plot);
  }

  function nodeTraces(scene, companies, placed, litNodes, selected) {
    var b = scene.b, k = scene.k, c = b.companies, colors = scene.colors, nodes = companies.nodes;
    var inView = companies.money, sizes = companies.sizes, points = companies.points;
    var none = tr(b, "hover.no_stated");
    var hover = nodes.map(function (n, i) {
      return b.nodeHover[n].replace("{amount}", inView[i] ? money(b, inView[i]) : none);
    });
    var marker = {
      size: sizes,
      color: nodes.map(function (n) { return b.role_style[c.role[n]].color; }),
      symbol: nodes.map(function (n) { return b.role_style[c.role[n]].symbol; }),
      opacity: nodes.map(function (n) {
        return litNodes === null || litNodes[n] ? 1 : Math.max(scene.dimAlpha * 2, k.dim_node_min_alpha);
      }),
      line: {width: nodes.map(function (n) { return n === selected ? k.selected_outline_px : k.node_outline_px; }),
             color: nodes.map(function (n) { return n === selected ? colors.selected_outline : colors.node_outline; })}
    };
    var x = points.map(function (p) { return round(p[0], 5); });
    var y = points.map(function (p) { return round(p[1], 5); });
    var customdata = nodes.map(function (n) { return ["company", c.id[n]]; });
    var font = {size: k.label_font_px, color: colors.ink};
    if (!scene.big) {
      return [{type: "scatter", mode: "markers+text", x: x, y: y, marker: marker, customdata: customdata,
               text: nodes.map(function (n, i) { return i in placed ? c.name[n] : ""; }),
               textposition: nodes.map(function (n, i) { return placed[i] || "top center"; }),
               textfont: font, hovertext: hover, hoverinfo: "text", showlegend: false, name: "companies"}];
    }
    var labelled = nodes.map(function (n, i) { return i; }).filter(function (i) { return i in placed; });
    return [
      {type: "scattergl", mode: "markers", x: x, y: y, marker: marker, customdata: customdata, hovertext: hover,
       hoverinfo: "text", showlegend: false, name: "companies"},
      {type: "scatter", mode: "markers+text", hoverinfo: "skip", showlegend: false, textfont: font,
       x: labelled.map(function (i) { return x[i]; }), y: labelled.map(function (i) { return y[i]; }),
       text: labelled.map(function (i) { return c.name[nodes[i]]; }),
       textposition: labelled.map(function (i) { return placed[i]; }),
       marker: {size: labelled.map(function (i) { return sizes[i]; }), color: "rgba(0,0,0,0)", line: {width: 0}}}
    ];
  }

  /* --- the callback -------------------------------------------------------------------------- */

  function canvasOf(b, viewport, cam, v) {
    var k = b.constants, w = k.default_canvas_px[0], h = k.default_canvas_px[1];
    var lo = k.viewport_px[0], hi = k.viewport_px[1];
    if (viewport && typeof viewport.width === "number" && typeof viewport.height === "number" &&
        viewport.width >= lo && viewport.width <= hi && viewport.height >= lo && viewport.height <= hi) {
      w = Math.round(viewport.width); h = Math.round(viewport.height);
    }
    var ok = function (r) { return Array.isArray(r) && r.length === 2 && r.every(Number.isFinite); };
    var x = cam && ok(cam.x) && ok(cam.y) ? cam.x.map(function (t) { return round(t, 4); }) : null;
    var y = x ? cam.y.map(function (t) { return round(t, 4); }) : null;
    var m = k.margin;
    return {x: x, y: y, plot: [Math.max(k.min_plot_px, w - m.l - m.r), Math.max(k.min_plot_px, h - m.t - m.b)],
            reserve: (v.company !== null || v.deal !== null) && w >= k.panel_beside_min_px ? k.panel_px : 0};
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function yearMonth(day) {
    var d = new Date(day * DAY_MS);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1);
  }

  /* The map for the controls, STATE and canvas; `rows` are the deals drawn (tests compare them). */
  function draw(b, controls, query, viewport, cam, cycle) {
    var v = view(b, controls, query);
    var result = networkFigure(b, v, canvasOf(b, viewport, cam, v), cycle);
    result.figure.layout.meta = Object.assign({}, result.figure.layout.meta, {
      window: [yearMonth(v.from), yearMonth(v.to)], slider: [v.lo, v.hi], slider_max: b.months.length - 1,
      filename: "ai-alliance-map_" + yearMonth(v.from) + "_" + yearMonth(v.to),
      query: query  /* the STATE (link) this map was drawn with */
    });
    return {figure: result.figure, view: v};
  }

  /* The figure in SVG only: its WebGL traces drawn as plain scatter (same points, lines and markers). */
  function svgOnly(figure) {
    figure.data.forEach(function (trace) { if (trace.type === "scattergl") { trace.type = "scatter"; } });
    return figure;
  }

  /* The link-preview card (components/preview.py): the view's map on a card of `card.width` ×
     `card.height` px with `card.margin`, a title and a caption (texts written by the server), in
     SVG only (no WebGL in a GPU-less headless browser). */
  function previewFigure(b, controls, query, card) {
    var k = b.constants, m = card.margin;
    var viewport = {width: card.width - m.l - m.r + k.margin.l + k.margin.r,
                    height: card.height - m.t - m.b + k.margin.t + k.margin.b};
    var figure = svgOnly(draw(b, controls, query, viewport, null, null).figure), layout = figure.layout;
    delete layout.uirevision;
    layout.width = card.width; layout.height = card.height;
    layout.margin = Object.assign({}, m);
    layout.title = card.title;
    layout.annotations = (layout.annotations || []).concat(card.caption ? [card.caption] : []);
    return figure;
  }

  var api = {
    prepare: prepare, view: view, canvas: canvasOf, filterDeals: filterDeals, countedAmounts: countedAmounts,
    edgeTable: edgeTable, curvePoints: curvePoints, edgeWidth: edgeWidth, widthStep: widthStep, highlight: highlight,
    brightness: brightness, money: money, amountLabel: amountLabel, grouped: grouped, dateRange: dateRange,
    count: count, flowHover: flowHover, tr: tr, textWidth: textWidth, textBox: textBox,
    placeLabels: placeLabels, fitRanges: fitRanges, camera: camera, networkFigure: networkFigure, draw: draw,
    previewFigure: previewFigure, svgOnly: svgOnly, stressKinds: stressKinds, ledgerThrough: ledgerThrough
  };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  if (typeof window === "undefined" || typeof document === "undefined") { return; }

  /* --- the page ------------------------------------------------------------------------------ */

  var bundles = {};  /* url -> {promise, value} */
  /* The page's plotly.js has no scattergl unless the dataset is big enough to need it
     (components/lightpage.py); should a map still come out with WebGL traces, it is drawn in SVG. */
  var configTag = document.getElementById("alliance-config");
  var config = window.allianceConfig ||
    (configTag ? (window.allianceConfig = JSON.parse(configTag.textContent)) : null);
  var bundleTag = config && document.getElementById(config.ids.plotly_bundle);
  var noWebGL = !!bundleTag && bundleTag.getAttribute("data-webgl") === "false";
  var lastKey = null;

  function load(url) {
    url = new URL(url, window.location.href).href;
    if (!bundles[url]) {
      var entry = bundles[url] = {value: null, promise: null};
      entry.promise = fetch(url, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) { throw new Error("map data: HTTP " + response.status); }
        return response.json();
      }).then(function (raw) {
        entry.value = prepare(raw);
        return entry.value;
      });
    }
    return bundles[url];
  }

  /* Start fetching at once when the page names its map data (components/sharing.py preloads it). */
  var hint = document.querySelector("link[rel=preload][data-map-data]");
  if (hint) { load(hint.getAttribute("href")); }

  window.allianceMap = Object.assign({load: load}, api);  /* for tests, the preview card and the curious */

  window.allianceStress = function (controls, query) {  /* for tests: deal ids by kind, as /api/exposure */
    var b = bundles[Object.keys(bundles)[0]].value, v = view(b, controls, query), rows = filterDeals(b, v);
    var kinds = v.fail ? stressKinds(b, rows, countedAmounts(b, rows), v.fail) : {};
    var out = {lost: [], at_risk: []};
    Object.keys(kinds).forEach(function (r) { out[kinds[r] === 1 ? "lost" : "at_risk"].push(b.deals.id[r]); });
    out.lost.sort(); out.at_risk.sort();
    return out;
  };

  /* Draw unless the view is unchanged (the same view often arrives twice: from the control, then
     from the server's STATE) or is the Sankey (the server draws that). */
  function redraw(url, controls, query, viewport, cam, cycle) {
    var no = window.dash_clientside.no_update;
    var entry = load(url);
    if (query === null || query === undefined) { return no; }  /* the link is not read yet */
    function run(b) {
      var v = view(b, controls, query);
      if (v.view === "sankey") { lastKey = null; return no; }
      var key = JSON.stringify([url, v, viewport, cam, v.cycle && cycle]);
      if (key === lastKey) { return no; }
      lastKey = key;
      var start = performance.now();
      var figure = draw(b, controls, query, viewport, cam, cycle).figure;
      if (noWebGL) { svgOnly(figure); }
      performance.measure("alliance:draw", {start: start});  /* bench/bench_browser.py reports these */
      return figure;
    }
    return entry.value ? run(entry.value) : entry.promise.then(run);
  }

  /* Values compared as JSON, a missing value (a dropdown never set) as null. */
  function same(a, b) {
    return JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);
  }

  /* What a control the map does not read shows now: a radio group's or checklist's checked
     values (from its inputs, as strings), or the options this page last set; undefined when
     unknown (then it is set). */
  var shownOptions = {};
  function shownValue(target) {
    if (target.prop !== "value") { return shownOptions[target.id + "." + target.prop]; }
    var box = document.getElementById(target.id);
    var inputs = box ? box.querySelectorAll("input[type=checkbox], input[type=radio]") : [];
    if (!inputs.length) { return undefined; }
    var on = Array.prototype.filter.call(inputs, function (i) { return i.checked; })
      .map(function (i) { return i.value; });
    return inputs[0].type === "radio" ? (on.length ? on[0] : null) : on;
  }

  // eslint-disable-next-line max-params -- the callbacks' nine control inputs, named once
  function controlValues(types, roles, focus, depth, minAmount, timeline, every, moneyFilter, fail) {
    return {types: types, roles: roles, focus: focus, depth: depth, min_amount: minAmount, timeline: timeline,
            every: every, money: moneyFilter, fail: fail};
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.allianceMap = {
    /* A control changed (or the graph's size): redraw at once. */
    // eslint-disable-next-line max-params -- Dash passes a clientside callback its inputs positionally
    draw: function (types, roles, focus, depth, minAmount, timeline, every, moneyFilter, fail, viewport, query,
                    cycle, cam, url) {
      var controls = controlValues(types, roles, focus, depth, minAmount, timeline, every, moneyFilter, fail);
      return redraw(url, controls, query, viewport, cam, cycle);
    },
    /* A new STATE: redraw, and set the controls it carries (a link, back/forward, Reset). The
       controls are set after the next frame, those that differ only: each set_props makes Dash
       walk its callbacks, and the map comes first. */
    // eslint-disable-next-line max-params -- Dash passes a clientside callback its inputs positionally
    follow: function (query, set, cycle, types, roles, focus, depth, minAmount, timeline, every, moneyFilter, fail,
                      viewport, cam, url) {
      var controls = controlValues(types, roles, focus, depth, minAmount, timeline, every, moneyFilter, fail);
      var ctx = window.dash_clientside.callback_context;
      var setProp = window.allianceConfig.ids.controls_set + ".data";
      var fresh = ctx && ctx.triggered && ctx.triggered.some(function (t) { return t.prop_id === setProp; });
      var changes = [];
      if (fresh && set) {
        set.forEach(function (target) {
          var known = target.name in controls;
          /* a control already showing the value is left alone: setting it anyway makes Dash ask
             the server again (a wasted sync request on every page load) */
          var current = known ? controls[target.name] : shownValue(target);
          if (same(current, target.value)) { return; }
          if (known) { controls[target.name] = target.value; }
          if (target.prop !== "value") { shownOptions[target.id + "." + target.prop] = target.value; }
          changes.push(target);
        });
      }
      if (changes.length) {
        requestAnimationFrame(function () {
          setTimeout(function () {
            changes.forEach(function (target) {
              var props = {};
              props[target.prop] = target.value;
              window.dash_clientside.set_props(target.id, props);
            });
          }, 0);
        });
      }
      return redraw(url, controls, query, viewport, cam, cycle);
    }
  };
})();
