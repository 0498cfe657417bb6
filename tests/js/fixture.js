/* A hand-made map for assets/map.js's unit tests (tests/js/*.test.js, run by tests/test_mapjs.py).

   The data (companies, positions, deals, flows) is written here by hand; the parts that come from
   the code rather than the data (constants, catalog messages, themes: components/mapdata.py
   code_parts) are the server's own, read from the JSON file MAPJS_CODE_PARTS names (written by
   tests/test_mapjs.py), else asked of Python directly. */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const {execFileSync} = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const map = require(path.join(ROOT, "assets", "map.js"));

function codeParts() {
  if (process.env.MAPJS_CODE_PARTS) { return JSON.parse(fs.readFileSync(process.env.MAPJS_CODE_PARTS, "utf8")); }
  const python = process.env.PYTHON || path.join(ROOT, ".venv", "bin", "python");
  const script = "import json; from components.mapdata import code_parts; " +
    "print(json.dumps({lang: code_parts(lang) for lang in ('en', 'ru')}))";
  return JSON.parse(execFileSync(python, ["-c", script], {cwd: ROOT, encoding: "utf8"}));
}
const CODE = codeParts();

const DAY_MS = 86400000;
function day(text) { return Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10)) / DAY_MS; }

/* Four companies on a cross; the unit square is the map.
     Fund (0.1, 0.5) ── Lab (0.5, 0.5) ── Cloud (0.9, 0.5)
                         Chips (0.5, 0.1)                      */
const COMPANIES = [
  // id, name, primary role, roles, x, y, deals in all
  ["fund", "Fund Capital", "investor", ["investor"], 0.1, 0.5, 2],
  ["lab", "Lab AI", "model_lab", ["model_lab"], 0.5, 0.5, 5],
  ["cloud", "Cloud Co", "cloud_provider", ["cloud_provider", "investor"], 0.9, 0.5, 2],
  ["chips", "Chips Inc", "chipmaker", ["chipmaker"], 0.5, 0.1, 3],
];
/* Deals in dataset order. status: "" live, "superseded" (replaced by a later deal when that one is
   in view), "cancelled" (never counted). `supersedes` names the row a deal replaces. */
const DEALS = [
  // id, day, from, to, type, amount, up to, status, supersedes, flow
  ["d1", "2024-03-10", "fund", "lab", "equity_investment", 1e9, 0, "", -1, 0],
  ["d2", "2024-03-31", "fund", "lab", "equity_investment", 2e9, 0, "", -1, 0],
  ["d3", "2024-04-01", "lab", "cloud", "compute_commitment", 30e9, 0, "", -1, 1],
  ["d4", "2024-04-15", "cloud", "chips", "chip_supply", null, 0, "", -1, 2],
  ["d5", "2024-05-01", "chips", "lab", "equity_investment", 10e9, 1, "superseded", -1, 3],
  ["d6", "2024-06-01", "chips", "lab", "equity_investment", 12e9, 0, "", 4, 3],
  ["d7", "2024-06-20", "cloud", "chips", "chip_supply", 4e9, 0, "cancelled", -1, 2],
];
const FLOWS = [[0, 1, "equity_investment"], [1, 2, "compute_commitment"], [2, 3, "chip_supply"],
               [3, 1, "equity_investment"]];
const MONTHS = [["2024-03-01", "2024-03-31"], ["2024-04-01", "2024-04-30"], ["2024-05-01", "2024-05-31"],
                ["2024-06-01", "2024-06-30"]];
const COUNTED_TYPES = ["equity_investment", "compute_commitment", "chip_supply"];

/* The hand-made map in `lang`, prepared as the page prepares a fetched bundle. `change(raw)` may
   edit the raw bundle first. */
function bundle(lang = "en", change = null) {
  const code = JSON.parse(JSON.stringify(CODE[lang]));
  const row = {};
  COMPANIES.forEach((c, i) => { row[c[0]] = i; });
  const mid = (a, b) => [(COMPANIES[a][4] + COMPANIES[b][4]) / 2, (COMPANIES[a][5] + COMPANIES[b][5]) / 2];
  const raw = Object.assign(code, {
    format: 1, version: "hand-made", node_peak: 100e9,
    months: MONTHS.map(([a, b]) => [day(a), day(b)]),
    companies: {
      id: COMPANIES.map((c) => c[0]), name: COMPANIES.map((c) => c[1]),
      role: COMPANIES.map((c) => code.roles.indexOf(c[2])),
      roles: COMPANIES.map((c) => c[3].reduce((m, r) => m | (1 << code.roles.indexOf(r)), 0)),
      x: COMPANIES.map((c) => c[4]), y: COMPANIES.map((c) => c[5]),
      hover: COMPANIES.map((c) => "<b>" + c[1] + "</b>"),
      deals: COMPANIES.map((c) => c[6]),
    },
    deals: {
      id: DEALS.map((d) => d[0]), from: DEALS.map((d) => row[d[2]]), to: DEALS.map((d) => row[d[3]]),
      type: DEALS.map((d) => code.types.indexOf(d[4])), day: DEALS.map((d) => day(d[1])),
      amount: DEALS.map((d) => d[5]), up_to: DEALS.map((d) => d[6]),
      countable: DEALS.map((d) => (d[5] !== null && COUNTED_TYPES.includes(d[4]) ? 1 : 0)),
      live: DEALS.map((d) => (d[7] === "" ? 1 : 0)), superseded: DEALS.map((d) => (d[7] === "superseded" ? 1 : 0)),
      supersedes: DEALS.map((d) => d[8]), flow: DEALS.map((d) => d[9]),
      cx: DEALS.map((d) => mid(row[d[2]], row[d[3]])[0]), cy: DEALS.map((d) => mid(row[d[2]], row[d[3]])[1]),
      hover: DEALS.map((d) => "deal " + d[0]),
      // the ledger's columns (components/mapdata.py): no funding round with a known total here;
      // every deal is a money-moving one-off flow; money states: equity closed (paid), compute and
      // chips signed (contracted), the up-to deal conditional, the cancelled one none
      round: DEALS.map(() => -1), flowing: DEALS.map(() => 1),
      state: DEALS.map((d) => (d[7] === "cancelled" ? -1 : d[6] ? 2 : d[4] === "equity_investment" ? 0 : 1)),
      gw: DEALS.map(() => 0), strong: DEALS.map(() => 1),
    },
    rounds: {to: [], total: []},
    flows: {
      from: FLOWS.map((f) => f[0]), to: FLOWS.map((f) => f[1]), type: FLOWS.map((f) => code.types.indexOf(f[2])),
      cx: FLOWS.map((f) => mid(f[0], f[1])[0]), cy: FLOWS.map((f) => mid(f[0], f[1])[1]),
    },
  });
  if (change) { change(raw); }
  return map.prepare(raw);
}

/* The page's controls for every deal type and role over the months lo..hi. */
function controls(b, changes = {}) {
  return Object.assign({types: b.types.slice(), roles: b.roles.slice(), focus: null, depth: 1, min_amount: 0,
                        timeline: [0, b.months.length - 1], every: []}, changes);
}

function trace(figure, name) { return figure.data.find((t) => t.name === name); }

module.exports = {map, bundle, controls, day, trace, CODE};
