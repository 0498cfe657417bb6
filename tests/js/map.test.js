/* assets/map.js without a page: node --test tests/js/ (tests/test_mapjs.py runs it for pytest).
   Every expected value is worked out by hand from the hand-made map in fixture.js. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {map, bundle, controls, day, trace} = require("./fixture.js");

const EN = bundle("en"), RU = bundle("ru");
const ALL = [0, 1, 2, 3, 4, 5, 6];
const ids = (b, rows) => rows.map((r) => b.deals.id[r]);
const close = (actual, expected, digits = 9) => assert.ok(Math.abs(actual - expected) < Math.pow(10, -digits),
                                                          `${actual} is not ${expected}`);

/* --- filtering at day precision ------------------------------------------------------------------ */

test("a link's days win while the slider stays on their months", () => {
  const v = map.view(EN, controls(EN, {timeline: [0, 1]}), "?from=2024-03-31&to=2024-04-01");
  assert.equal(v.from, day("2024-03-31"));
  assert.equal(v.to, day("2024-04-01"));
  assert.deepEqual(ids(EN, map.filterDeals(EN, v)), ["d2", "d3"]);  // d1 (Mar 10) and d4 (Apr 15) are outside
  const april = map.view(EN, controls(EN, {timeline: [1, 1]}), "?from=2024-04-01&to=2024-04-14");
  assert.deepEqual(ids(EN, map.filterDeals(EN, april)), ["d3"]);
});

test("whole months when the link names months, and once the slider moves", () => {
  const months = map.view(EN, controls(EN, {timeline: [0, 1]}), "?from=2024-03&to=2024-04");
  assert.deepEqual([months.from, months.to], [day("2024-03-01"), day("2024-04-30")]);
  assert.deepEqual(ids(EN, map.filterDeals(EN, months)), ["d1", "d2", "d3", "d4"]);
  const moved = map.view(EN, controls(EN, {timeline: [0, 2]}), "?from=2024-03-31&to=2024-04-01");
  assert.deepEqual(ids(EN, map.filterDeals(EN, moved)), ["d1", "d2", "d3", "d4", "d5"]);  // Mar 1 – May 31
});

test("types, roles and the minimum amount filter", () => {
  const only = (changes) => ids(EN, map.filterDeals(EN, map.view(EN, controls(EN, changes), "")));
  assert.deepEqual(only({types: ["chip_supply"]}), ["d4", "d7"]);
  assert.deepEqual(only({min_amount: 5e9}), ["d3", "d5", "d6"]);  // undisclosed d4 drops out, $4B d7 too
  // without investors Fund Capital goes; Cloud Co stays (it is also a cloud provider)
  const roles = EN.roles.filter((r) => r !== "investor");
  assert.deepEqual(only({roles: roles}), ["d3", "d4", "d5", "d6", "d7"]);
  // without chipmakers, deals paid to Chips Inc go too, not only those it pays
  assert.deepEqual(only({roles: EN.roles.filter((r) => r !== "chipmaker")}), ["d1", "d2", "d3"]);
  assert.deepEqual(only({types: []}), []);
});

test("malformed controls fall back to the defaults", () => {
  const v = map.view(EN, {types: "all", roles: [1, 2], timeline: [0, 99], min_amount: -5, depth: 7,
                          focus: "nobody", every: "every"}, "?from=garbage");
  assert.deepEqual([v.types, v.roles, v.minAmount, v.depth, v.focus, v.every], [[], [], 0, 1, null, false]);
  assert.deepEqual([v.lo, v.hi, v.from, v.to], [0, 3, day("2024-03-01"), day("2024-06-30")]);
});

/* --- counted money ------------------------------------------------------------------------------- */

test("a replaced deal counts only while the deal replacing it is out of view", () => {
  // d5 (up to $10B) is replaced by d6 ($12B): with both in view only d6 counts; d7 is cancelled
  const all = map.countedAmounts(EN, ALL);
  assert.deepEqual(all.map((a) => (isNaN(a) ? null : a)), [1e9, 2e9, 30e9, null, null, 12e9, null]);
  const untilMay = map.countedAmounts(EN, [0, 1, 2, 3, 4]);
  assert.deepEqual(untilMay.map((a) => (isNaN(a) ? null : a)), [1e9, 2e9, 30e9, null, 10e9]);
  // an amount that is not money paid (a valuation, a non-money deal type) never counts, live or not
  const valuation = bundle("en", (raw) => { raw.deals.countable[2] = 0; });
  assert.deepEqual(map.countedAmounts(valuation, [1, 2]).map((a) => (isNaN(a) ? null : a)), [2e9, null]);
});

test("a flow sums its counted money once", () => {
  const edges = map.edgeTable(EN, ALL, map.countedAmounts(EN, ALL), false);
  const chipsToLab = edges.find((e) => e.curve === 3);
  assert.equal(chipsToLab.amount, 12e9);  // not $22B: d5 is replaced
  assert.equal(chipsToLab.upTo, false);  // the replaced deal's "up to" no longer qualifies the flow
  assert.equal(chipsToLab.undisclosed, 1);
  const v = map.view(EN, controls(EN, {timeline: [0, 2]}), "");  // Mar – May: d6 is not in view yet
  const early = map.draw(EN, controls(EN, {timeline: [0, 2]}), "", {width: 1200, height: 800}, null, null);
  assert.equal(map.filterDeals(EN, v).length, 5);
  assert.deepEqual(trace(early.figure, "amounts").text, ["$30B", "up to $10B", "$3B"]);
});

test("companies are sized by the money they send and receive in view", () => {
  const {figure} = map.draw(EN, controls(EN), "", {width: 1200, height: 800}, null, null);
  const nodes = trace(figure, "companies");
  assert.deepEqual(nodes.customdata.map((c) => c[1]), ["fund", "lab", "cloud", "chips"]);  // payers first
  // 8 + 26·sqrt(money / $100B): Fund $3B, Lab $45B, Cloud $30B, Chips $12B
  assert.deepEqual(nodes.marker.size, [12.5, 25.4, 22.2, 17]);
  assert.equal(nodes.hovertext[1], "<b>Lab AI</b><br>$45B in view · 5 deals in all");
});

/* --- flows --------------------------------------------------------------------------------------- */

test("one edge per payer, receiver and type; one per deal with every=1", () => {
  const amounts = map.countedAmounts(EN, ALL);
  const edges = map.edgeTable(EN, ALL, amounts, false);
  assert.deepEqual(edges.map((e) => [e.curve, e.count, isNaN(e.amount) ? null : e.amount, e.first]),
                   [[0, 2, 3e9, "d1"], [1, 1, 30e9, "d3"], [2, 2, null, "d4"], [3, 2, 12e9, "d5"]]);
  assert.deepEqual([edges[0].start, edges[0].end], [day("2024-03-10"), day("2024-03-31")]);
  assert.equal(edges[2].undisclosed, 2);
  const every = map.edgeTable(EN, ALL, amounts, true);
  assert.deepEqual(every.map((e) => e.first), ["d1", "d2", "d3", "d4", "d5", "d6", "d7"]);
  assert.ok(every.every((e) => e.count === 1));
});

test("the arrows carry a deal's card or the flow's payer, and the flow's hover", () => {
  const {figure} = map.draw(EN, controls(EN), "", {width: 1200, height: 800}, null, null);
  const arrows = trace(figure, "deals");
  assert.deepEqual(arrows.customdata, [
    ["company", "fund", "equity_investment", "lab", 2], ["deal", "d3", "compute_commitment"],
    ["company", "cloud", "chip_supply", "chips", 2], ["company", "chips", "equity_investment", "lab", 2]]);
  assert.equal(arrows.hovertext[1], "deal d3");
  assert.equal(arrows.hovertext[0], "<b>Fund Capital → Lab AI</b><br>Equity investment · $3B stated" +
                                    "<br>2 deals · Mar 2024<br><i>click for the payer's deals</i>");
  // Lab -> Cloud points right: a triangle turned 90° clockwise from "up"
  assert.equal(arrows.marker.angle[1], 90);
  assert.equal(arrows.marker.symbol, "triangle-up");
  // Chips -> Lab points straight up
  assert.equal(arrows.marker.angle[3], 0);
  // widths 1 + 2·log10(amount / $100M), snapped to the steps: $3B 3.95 -> 3.5; $30B 5.95 -> 5;
  // $12B 5.16 -> 5; dotted where no money counts. Shapes come by type, then width.
  const widths = figure.layout.shapes.map((s) => [s.line.width, s.line.dash]);
  assert.deepEqual(widths, [[3.5, "solid"], [5, "solid"], [5, "solid"], [1, "dot"]]);
});

test("curves are quadratic Béziers sampled at 9 points, or 3 when straight", () => {
  // Lab (0.5, 0.5) -> Cloud (0.9, 0.5) bowing through the control point (0.66, 0.528)
  const b = bundle("en", (raw) => { raw.flows.cx[1] = 0.66; raw.flows.cy[1] = 0.528; });
  const edge = {curve: 1, from: 1, to: 2};
  const points = map.curvePoints(b, edge, false, false);
  assert.equal(points.length, 9);
  assert.deepEqual(points[0], [0.5, 0.5]);
  assert.deepEqual(points[8], [0.9, 0.5]);
  close(points[4][0], 0.68); close(points[4][1], 0.514);  // t = 1/2: a quarter, a half, a quarter
  close(points[2][0], 0.585); close(points[2][1], 0.5105);  // t = 1/4: 9/16, 6/16, 1/16
  const straight = map.curvePoints(b, edge, false, true);  // start, the arrow point (t = 5/8), end
  assert.equal(straight.length, 3);
  close(straight[1][0], 0.73125); close(straight[1][1], 0.513125);
  // "every deal" curves use the deals' own control points
  const every = bundle("en", (raw) => { raw.deals.cy[2] = 0.6; });
  close(map.curvePoints(every, {curve: 2, from: 1, to: 2}, true, false)[4][1], 0.55);
});

test("edge widths and their steps", () => {
  const k = EN.constants;
  assert.deepEqual([NaN, 1e8, 1e9, 1e10, 1e12, 1e14].map((a) => map.edgeWidth(k, a)), [1, 1, 3, 5, 9, 9]);
  close(map.edgeWidth(k, 3e9), 1 + 2 * Math.log10(30));
  assert.deepEqual([1, 1.4, 2.9, 4.4, 6.2, 9].map((w) => map.widthStep(k, w)), [1, 1, 3.5, 5, 7, 9]);
});

test("the focus keeps its neighbourhood bright and dims the rest", () => {
  const {figure} = map.draw(EN, controls(EN, {focus: "fund"}), "", {width: 1200, height: 800}, null, null);
  assert.deepEqual(trace(figure, "companies").marker.opacity, [1, 1, 0.25, 0.25]);  // max(2 × 0.12, 0.25)
  assert.deepEqual(trace(figure, "deals").marker.color.map((c) => c.split(",")[3]),
                   ["0.95)", "0.12)", "0.12)", "0.12)"]);
  const two = map.draw(EN, controls(EN, {focus: "fund", depth: 2}), "", {width: 1200, height: 800}, null, null);
  assert.deepEqual(trace(two.figure, "companies").marker.opacity, [1, 1, 1, 1]);
});

test("an open deal stays bright, with its two companies; the rest is lightly dimmed", () => {
  const {figure} = map.draw(EN, controls(EN), "?deal=d3", {width: 1200, height: 800}, null, null);
  assert.deepEqual(trace(figure, "companies").marker.opacity, [0.56, 1, 1, 0.56]);  // 2 × 0.28
  assert.deepEqual(trace(figure, "deals").marker.color.map((c) => c.split(",")[3]),
                   ["0.28)", "0.95)", "0.28)", "0.28)"]);
});

test("with every deal drawn, an open deal lights its own curve, not its flow's", () => {
  // one curve per deal, in dataset order: d3 (lab -> cloud) is curve 2; its flow (lab -> cloud) is flow 1,
  // which here would be d2's curve
  const {figure} = map.draw(EN, controls(EN, {every: ["every"]}), "?deal=d3", {width: 1200, height: 800}, null, null);
  assert.deepEqual(trace(figure, "companies").marker.opacity, [0.56, 1, 1, 0.56]);  // 2 × 0.28
  assert.deepEqual(trace(figure, "deals").marker.color.map((c) => c.split(",")[3]),
                   ["0.28)", "0.28)", "0.95)", "0.28)", "0.28)", "0.28)", "0.28)"]);
});

test("with every deal drawn, a chosen loop lights its own deals' curves", () => {
  // the loop lab -> cloud -> chips -> lab through d3, d4 and d6 (curves 2, 3 and 5); by flow it would be
  // curves 1, 2 and 3 (d2, d3, d4)
  const cycle = {cycle: "lab~cloud~chips", companies: ["lab", "cloud", "chips"], deals: ["d3", "d4", "d6"]};
  const {figure} = map.draw(EN, controls(EN, {every: ["every"]}), "?cycle=lab~cloud~chips",
                            {width: 1200, height: 800}, null, cycle);
  assert.deepEqual(trace(figure, "companies").marker.opacity, [0.25, 1, 1, 1]);
  assert.deepEqual(trace(figure, "deals").marker.color.map((c) => c.split(",")[3]),
                   ["0.12)", "0.12)", "0.95)", "0.95)", "0.12)", "0.95)", "0.12)"]);
});

test("the stress test leaves out a replaced deal while its replacement is in view", () => {
  // Chips Inc (row 3) fails. Its unpaid deals: d5 (up to $10B to Lab, conditional), replaced by d6 ($12B, paid).
  // With d6 in view nothing is lost; d4 (contracted, owed to Chips itself) is neither lost nor at risk.
  const stress = (rows) => map.stressKinds(EN, rows, map.countedAmounts(EN, rows), [3]);
  assert.deepEqual(stress(ALL), {});
  // Until May (no d6): d5 is lost (1), and Lab, short of $10B of its $13B inflow, puts its contracted
  // d3 to Cloud at risk (2)
  assert.deepEqual(stress([0, 1, 2, 3, 4]), {2: 2, 4: 1});
});

test("a funding round counts once toward its receiver, at its stated total when that is larger", () => {
  // d1 ($1B) and d2 ($2B), Fund -> Lab, made parts of one round of Lab (row 1) stated at $20B
  const round = (total) => bundle("en", (raw) => {
    raw.deals.round = [0, 0, -1, -1, -1, -1, -1];
    raw.rounds = {to: [1], total: [total]};
  });
  const through = (b, rows) => map.ledgerThrough(b, rows, map.countedAmounts(b, rows));
  // Lab: the round's $20B (not its parts' $3B) + d3's $30B out + d6's $12B in (d5 replaced, d7 cancelled)
  assert.deepEqual(through(round(20e9), ALL), {0: 3e9, 1: 62e9, 2: 30e9, 3: 12e9});
  // a stated total below the parts in view: the parts ($3B)
  assert.deepEqual(through(round(2e9), ALL), {0: 3e9, 1: 45e9, 2: 30e9, 3: 12e9});
  // one part in view: still the whole round
  assert.deepEqual(through(round(20e9), [0, 2]), {0: 1e9, 1: 50e9, 2: 30e9});
  // no round: every deal at both ends
  assert.deepEqual(through(EN, ALL), {0: 3e9, 1: 45e9, 2: 30e9, 3: 12e9});
});

test("an open panel covers the map's right side on a wide graph, not on a narrow one", () => {
  const v = map.view(EN, controls(EN), "?company=lab");
  assert.equal(map.canvas(EN, {width: 1200, height: 800}, null, v).reserve, 385);
  assert.equal(map.canvas(EN, {width: 899, height: 800}, null, v).reserve, 0);
  assert.equal(map.canvas(EN, {width: 1200, height: 800}, null, map.view(EN, controls(EN), "")).reserve, 0);
  assert.deepEqual(map.canvas(EN, {width: 1200, height: 800}, null, v).plot, [1192, 776]);  // margins 4, 4, 4, 20
  // a size the browser could not have (under 100 or over 10,000 px, not a number): the default 1180 × 760
  [{width: 99, height: 800}, {width: 1200, height: 10001}, {width: "wide", height: 800}, null].forEach((viewport) => {
    assert.deepEqual(map.canvas(EN, viewport, null, v).plot, [1172, 736]);
  });
});

test("names go to every company with enough money in view, or the richest few", () => {
  const named = (change) => {
    const b = bundle("en", change);
    const nodes = trace(map.draw(b, controls(b), "", {width: 1200, height: 800}, null, null).figure, "companies");
    return nodes.text.filter((t) => t);
  };
  assert.deepEqual(named(null), ["Fund Capital", "Lab AI", "Cloud Co", "Chips Inc"]);
  // $10B or more: Lab ($45B), Cloud ($30B), Chips ($12B); Fund ($3B) is neither that rich nor the richest
  assert.deepEqual(named((raw) => { raw.constants.label_min_money = 10e9; raw.constants.label_min_count = 1; }),
                   ["Lab AI", "Cloud Co", "Chips Inc"]);
  // $50B or more: nobody; the richest two are named anyway
  assert.deepEqual(named((raw) => { raw.constants.label_min_money = 50e9; raw.constants.label_min_count = 2; }),
                   ["Lab AI", "Cloud Co"]);
});

test("an empty view says so", () => {
  const {figure} = map.draw(RU, controls(RU, {types: []}), "", {width: 1200, height: 800}, null, null);
  assert.deepEqual(figure.data, []);
  assert.equal(figure.layout.annotations[0].text, "Нет сделок, подходящих под фильтры");
});

/* --- labels -------------------------------------------------------------------------------------- */

const K = EN.constants;
const candidate = (key, x, y, text) => ({key: key, x: x, y: y, r: 5, text: text, size: 12});

test("text widths per character class, on the wide side", () => {
  close(map.textWidth(K, "OpenAI", 10), 40.2);  // O, A, I capitals 0.72; p, e, n 0.62
  close(map.textWidth(K, "il.,", 10), 13.6);
  close(map.textWidth(K, "MW", 10), 19);
  close(map.textWidth(K, "$5", 10), 14.4);
  close(map.textWidth(K, "Шы", 10), 13.4);  // Cyrillic: a capital and a lower-case letter
});

test("a label's box beside its marker, as plotly draws it", () => {
  // 12 px text right of a marker of radius 8: 8 / 0.8 + 1 = 11 px from its centre
  assert.deepEqual(map.textBox(K, 100, 50, 8, "middle right", 40, 12).map((v) => Math.round(v * 100) / 100),
                   [111, 41.6, 151, 56]);
  const top = map.textBox(K, 100, 50, 8, "top center", 40, 12);
  assert.deepEqual([top[0], top[2]], [80, 120]);
  assert.ok(top[3] <= 50 - 8);
});

test("names on one spot never collide: two fit, the third is dropped", () => {
  const crowd = ["a", "b", "c"].map((key) => candidate(key, 200, 100, "Company " + key.toUpperCase()));
  // "Company A" is 5.5 em = 66 px: right (205.25–275.25) and left (124.75–194.75) fit; every other
  // position overlaps one of them
  assert.deepEqual(map.placeLabels(K, crowd, [], [400, 200]), {a: "middle right", b: "middle left"});
});

test("labels stay inside the plot and clear of obstacles", () => {
  assert.deepEqual(map.placeLabels(K, [candidate("edge", 390, 100, "Long company name")], [], [400, 200]),
                   {edge: "middle left"});
  assert.deepEqual(map.placeLabels(K, [candidate("a", 100, 100, "A")], [[0, 0, 400, 200]], [400, 200]), {});
  // an amount label right of the marker sends the name to the left
  assert.deepEqual(map.placeLabels(K, [candidate("a", 100, 100, "Lab AI")], [[110, 90, 160, 110]], [400, 200]),
                   {a: "middle left"});
});

test("on the map, names never overlap each other or other companies", () => {
  // Crowd the hand-made map: Cloud Co moves right next to Lab AI
  const b = bundle("en", (raw) => { raw.companies.x[2] = 0.53; raw.companies.y[2] = 0.5; });
  const {figure} = map.draw(b, controls(b), "", {width: 600, height: 400}, null, null);
  const nodes = trace(figure, "companies"), k = b.constants;
  const xr = figure.layout.xaxis.range, yr = figure.layout.yaxis.range;
  const plot = [600 - k.margin.l - k.margin.r, 400 - k.margin.t - k.margin.b];
  const px = nodes.x.map((x, i) => [
    (x - xr[0]) / (xr[1] - xr[0]) * plot[0],
    (yr[1] - nodes.y[i]) / (yr[1] - yr[0]) * plot[1],
  ]);
  const boxes = [];
  nodes.text.forEach((text, i) => {
    if (!text) { return; }
    boxes.push(map.textBox(k, px[i][0], px[i][1], nodes.marker.size[i] / 2, nodes.textposition[i],
                           map.textWidth(k, text, k.label_font_px), k.label_font_px));
  });
  assert.ok(boxes.length >= 3, `only ${boxes.length} names placed`);
  assert.equal(figure.layout.meta.labels, boxes.length);
  const overlap = (a, c) => a[0] < c[2] && c[0] < a[2] && a[1] < c[3] && c[1] < a[3];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((c) => assert.ok(!overlap(a, c), "two names overlap")));
  px.forEach((p, j) => {
    const r = nodes.marker.size[j] / 2, marker = [p[0] - r, p[1] - r, p[0] + r, p[1] + r];
    boxes.forEach((box) => assert.ok(!overlap(box, marker), "a name covers a company"));
  });
});

/* --- camera -------------------------------------------------------------------------------------- */

test("the camera fits the companies with padding in pixels", () => {
  const [x, y] = map.fitRanges(K, [[0, 0], [1, 1]], [1000, 500], 10, 0);
  // 10 px radius + 14 px air each side: one map unit spans 952 px across and 452 px down
  close(x[0], -24 / 952); close(x[1], 1 + 24 / 952);
  close(y[0], -24 / 452); close(y[1], 1 + 24 / 452);
  // an open panel covers 400 px on the right: the map fits into the other 552 px
  const [xp] = map.fitRanges(K, [[0, 0], [1, 1]], [1000, 500], 10, 400);
  close(xp[0], -24 / 552); close(xp[1], 1 + 424 / 552);
  // one company: never closer than 0.18 of the map
  const [xs] = map.fitRanges(K, [[0.5, 0.5]], [1000, 500], 0, 0);
  close(xs[1] - xs[0], 0.18 * 1000 / 972);
});

test("the reader's camera is kept unless it hides what must show", () => {
  const canvas = {x: [0.4, 0.6], y: [0.4, 0.6], plot: [1000, 500], reserve: 0};
  assert.deepEqual(map.camera(K, canvas, [[0, 0], [1, 1]], [[0.5, 0.5]], 10), [[0.4, 0.6], [0.4, 0.6]]);
  const refit = map.camera(K, canvas, [[0, 0], [1, 1]], [[0.9, 0.9]], 10);
  close(refit[0][0], -24 / 952);
});

test("the drawn view fits the companies in view", () => {
  const chips = map.draw(EN, controls(EN, {types: ["chip_supply"]}), "", {width: 1008, height: 524}, null, null);
  // Cloud (0.9, 0.5) and Chips (0.5, 0.1), no counted money: 8 px markers, so 4 + 14 px of air each side
  // of the 1000 × 500 plot; 0.4 of the map across the other 964 px
  const xr = chips.figure.layout.xaxis.range, pad = 18 / 964 * 0.4;
  close(xr[0], 0.5 - pad, 4); close(xr[1], 0.9 + pad, 4);
});

/* --- formats ------------------------------------------------------------------------------------- */

test("money in English and Russian, an exact half rounded up", () => {
  const cases = [
    [1.125e9, "$1.13B", "1,13 млрд $"], [1.115e9, "$1.12B", "1,12 млрд $"], [2.675e9, "$2.68B", "2,68 млрд $"],
    [1.1249e9, "$1.12B", "1,12 млрд $"], [999999999, "$1B", "1 млрд $"], [999990000, "$999.99M", "999,99 млн $"],
    [999999999999, "$1T", "1 трлн $"], [1e15, "$1000T", "1000 трлн $"],
    [41.2e9, "$41.2B", "41,2 млрд $"], [1.4e12, "$1.4T", "1,4 трлн $"], [650e6, "$650M", "650 млн $"],
    [2500, "$2.5K", "2,5 тыс. $"], [999.5, "$1K", "1 тыс. $"], [2.5, "$3", "3 $"], [0, "$0", "0 $"],
  ];
  cases.forEach(([amount, en, ru]) => assert.deepEqual([map.money(EN, amount), map.money(RU, amount)], [en, ru]));
  assert.equal(map.grouped(EN, 1234567.5), "1,234,568");
  assert.equal(map.grouped(RU, 1234567), "1\u00a0234\u00a0567");
  assert.equal(map.amountLabel(EN, 10e9, true), "up to $10B");
  assert.equal(map.amountLabel(RU, 10e9, true), "до 10 млрд $");
});

test("counts in English and Russian plural forms", () => {
  assert.deepEqual([1, 2, 1234].map((n) => map.count(EN, "map.deals", n)), ["1 deal", "2 deals", "1,234 deals"]);
  assert.deepEqual([1, 3, 5, 11, 14, 21, 22, 25, 111].map((n) => map.count(RU, "map.deals", n)),
                   ["1 сделка", "3 сделки", "5 сделок", "11 сделок", "14 сделок", "21 сделка", "22 сделки",
                    "25 сделок", "111 сделок"]);
});

test("a flow's hover text in English and Russian", () => {
  const edge = (b) => ({from: 0, to: 1, type: b.types.indexOf("compute_commitment"), amount: 41.2e9, upTo: true,
                        undisclosed: 1, count: 3, start: day("2025-11-03"), end: day("2026-03-16")});
  assert.equal(map.flowHover(EN, edge(EN)),
               "<b>Fund Capital → Lab AI</b><br>Compute / cloud commitment · up to $41.2B stated (+1 undisclosed)" +
               "<br>3 deals · Nov 2025 – Mar 2026<br><i>click for the payer's deals</i>");
  assert.equal(map.flowHover(RU, edge(RU)),
               "<b>Fund Capital → Lab AI</b><br>Обязательство по вычислениям / облаку · названо до 41,2 млрд $ " +
               "(+1 без суммы)<br>3 сделки · ноя 2025 – мар 2026<br><i>щелчок — сделки плательщика</i>");
  const none = Object.assign(edge(EN), {type: EN.types.indexOf("chip_supply"), amount: NaN, count: 2,
                                        end: day("2025-11-20")});
  assert.equal(map.flowHover(EN, none), "<b>Fund Capital → Lab AI</b><br>Chip supply · no stated amount" +
                                        "<br>2 deals · Nov 2025<br><i>click for the payer's deals</i>");
  const fiveRu = Object.assign(edge(RU), {type: RU.types.indexOf("chip_supply"), amount: NaN, count: 5,
                                          end: day("2025-11-28")});
  assert.equal(map.flowHover(RU, fiveRu), "<b>Fund Capital → Lab AI</b><br>Поставка чипов · сумма не названа" +
                                          "<br>5 сделок · ноя 2025<br><i>щелчок — сделки плательщика</i>");
});

test("the Russian map: amounts, hover texts and caption in Russian", () => {
  const {figure} = map.draw(RU, controls(RU), "", {width: 1200, height: 800}, null, null);
  assert.deepEqual(trace(figure, "amounts").text, ["30 млрд $", "12 млрд $", "3 млрд $"]);
  assert.equal(trace(figure, "companies").hovertext[1], "<b>Lab AI</b><br>45 млрд $ в текущем виде · всего 5 сделок");
  assert.equal(figure.layout.meta.caption.text, "Карта альянсов ИИ · мар 2024 – июн 2024 · 7 сделок");
  const chips = map.draw(RU, controls(RU, {types: ["chip_supply"]}), "", {width: 1200, height: 800}, null, null);
  assert.equal(trace(chips.figure, "companies").hovertext[0],
               "<b>Cloud Co</b><br>нет названных $ в текущем виде · всего 2 сделки");
});

test("the dark theme colours the map", () => {
  const {figure} = map.draw(EN, controls(EN), "?theme=dark", {width: 1200, height: 800}, null, null);
  assert.equal(figure.layout.paper_bgcolor, "#16202b");
  assert.equal(trace(figure, "amounts").textfont.color, "#e4e7eb");
});

/* --- the preview card ------------------------------------------------------------------------------ */

test("the preview card: the map in SVG on a 1200 × 630 card with the server's title and caption", () => {
  const card = {width: 1200, height: 630, margin: {l: 16, r: 16, t: 92, b: 40}, title: {text: "<b>T</b>"},
                caption: {text: "caption"}};
  const b = bundle("ru", (raw) => { raw.constants.webgl_edges = 2; });  // force the WebGL traces
  const figure = map.previewFigure(b, controls(b), "?from=2024-03-01&to=2024-06-30", card);
  assert.ok(figure.data.length > 0 && figure.data.every((t) => t.type === "scatter"));
  assert.deepEqual([figure.layout.width, figure.layout.height, figure.layout.margin.t], [1200, 630, 92]);
  assert.equal(figure.layout.title.text, "<b>T</b>");
  assert.deepEqual(figure.layout.annotations.map((a) => a.text), ["caption"]);
  assert.equal(figure.layout.uirevision, undefined);
  assert.deepEqual(trace(figure, "amounts").text, ["30 млрд $", "12 млрд $", "3 млрд $"]);
});

test("a big map draws with WebGL traces, and in SVG alone with the same points when asked", () => {
  const b = bundle("en", (raw) => { raw.constants.webgl_edges = 2; });  // force the WebGL traces
  const figure = map.draw(b, controls(b), "?from=2024-03-01&to=2024-06-30", {width: 1000, height: 700}, null, null)
    .figure;
  const types = figure.data.map((t) => t.type);
  assert.ok(types.includes("scattergl"), types.join());
  const points = figure.data.map((t) => [t.x, t.y, t.mode]);
  assert.equal(map.svgOnly(figure), figure);
  assert.deepEqual(figure.data.map((t) => t.type), types.map((t) => (t === "scattergl" ? "scatter" : t)));
  assert.deepEqual(figure.data.map((t) => [t.x, t.y, t.mode]), points);
});
