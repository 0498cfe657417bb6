#!/usr/bin/env bash
# Build the page's vendored scripts in assets/vendor/:
#   plotly-alliance.min.js       plotly.js with only the traces the app draws (lib/core + Plotly.register):
#                                scatter, sankey, bar (entry.js)
#   plotly-alliance-gl.min.js    the same plus scattergl (entry-gl.js), for datasets whose map draws
#                                with WebGL; the page loads one of the two (components/lightpage.py)
#   regenerator-runtime.min.js   the one thing Dash's scripts need from the 97 KB polyfill it ships
#
#   scripts/build_plotly.sh          build (npm ci from the committed lockfile, then esbuild)
#   scripts/build_plotly.sh --check  build into a temp dir and fail if it differs from the committed files
#
# plotly.js is pinned to the version the installed Dash serves (the `plotly` Python package's
# plotly.min.js; Dash 4.4.1 takes plotly.js from there); the script refuses to build another.
# Needs node and npm (Debian's nodejs ships npm). node_modules stays in scripts/plotly-bundle/,
# out of git. The same inputs give byte-identical files (esbuild is deterministic).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=scripts/plotly-bundle
pinned=$(node -p "require('./$dir/package.json').dependencies['plotly.js']")
served=$(.venv/bin/python -c "from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())")
if [ "$pinned" != "$served" ]; then
  echo "plotly.js pinned at $pinned in $dir/package.json, but Dash serves $served: update the pin and rebuild" >&2
  exit 1
fi
(cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
esbuild_version=$(node -p "require('./$dir/node_modules/esbuild/package.json').version")
regenerator=$(node -p "require('./$dir/node_modules/regenerator-runtime/package.json').version")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# stamp BODY OUT FIRST-LINE: OUT = a header comment (what, how, the body's sha256) + BODY
stamp() {
  local sha
  sha=$(sha256sum "$1" | cut -d' ' -f1)
  {
    echo "/*! $3"
    echo " * Built by scripts/build_plotly.sh with esbuild $esbuild_version."
    echo " * sha256 of the lines below this comment: $sha */"
    cat "$1"
  } > "$2"
}

node "$dir/build.js" entry.js "$tmp/plotly.js"
stamp "$tmp/plotly.js" "$tmp/plotly-alliance.min.js" \
  "plotly.js $pinned custom bundle for the AI Alliance Map: core (scatter) + sankey, bar. plotly.js: Copyright 2012-2026, Plotly, Inc., MIT license."
node "$dir/build.js" entry-gl.js "$tmp/plotly-gl.js"
stamp "$tmp/plotly-gl.js" "$tmp/plotly-alliance-gl.min.js" \
  "plotly.js $pinned custom bundle for the AI Alliance Map, WebGL: core (scatter) + scattergl, sankey, bar. plotly.js: Copyright 2012-2026, Plotly, Inc., MIT license."
"$dir/node_modules/.bin/esbuild" "$dir/node_modules/regenerator-runtime/runtime.js" --minify --legal-comments=none \
  --log-level=warning > "$tmp/regenerator.js"
stamp "$tmp/regenerator.js" "$tmp/regenerator-runtime.min.js" \
  "regenerator-runtime $regenerator (Copyright (c) 2014-present, Facebook, Inc., MIT license), for Dash's async components."

status=0
for name in plotly-alliance.min.js plotly-alliance-gl.min.js regenerator-runtime.min.js; do
  out=assets/vendor/$name
  if [ "${1:-}" = "--check" ]; then
    if cmp -s "$tmp/$name" "$out"; then
      echo "$out is up to date"
    else
      echo "$out differs from a fresh build: run scripts/build_plotly.sh" >&2
      status=1
    fi
  else
    mkdir -p assets/vendor
    cp "$tmp/$name" "$out"
    echo "$out: $(wc -c < "$out") bytes, $(sed -n 3p "$out" | sed 's/^ \* //; s/ \*\/$//')"
  fi
done
exit $status
