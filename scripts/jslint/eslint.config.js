// ESLint rules for the page's own scripts. Vendored bundles (assets/vendor) are not linted.
// Run from the repository root by scripts/lint.sh: node_modules of this folder holds eslint.
const js = require("@eslint/js");
const globals = require("globals");

const rules = {
  ...js.configs.recommended.rules,
  eqeqeq: ["error", "always", { null: "ignore" }],
  "no-implicit-globals": "error",
  "no-shadow": "error",
  "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", caughtErrors: "none" }],
  curly: ["error", "multi-line"],
  "max-len": ["error", { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
  // as tests/test_signatures.py for Python: at most 8 (Dash's clientside callbacks, which receive
  // their inputs positionally, say so where they are exempt)
  "max-params": ["error", 8],
};

module.exports = [
  {
    // browser scripts: loaded as plain <script>s (no modules); map.js and sankey.js also export for node tests
    files: ["assets/*.js", "components/preview_card.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, Plotly: "readonly", dash_clientside: "writable", module: "readonly" },
    },
    rules,
  },
  {
    files: ["tests/js/*.js", "scripts/plotly-bundle/*.js", "scripts/jslint/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...globals.node } },
    rules,
  },
];
