// esbuild with the settings of plotly.js's own esbuild-config.js (same plugins, aliases, defines
// and target), minified: the entry file argv[2] into the file named by argv[3].
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

// plotly's registry requires maplibre-gl's 83 KB stylesheet when a map trace registers; no map
// trace is in this bundle, so that require resolves to nothing.
const noMapStyles = {
    name: 'no-map-styles',
    setup(build) {
        build.onResolve({ filter: /^maplibre-gl\/dist\/maplibre-gl\.css$/ }, () => ({ path: 'maplibre-css', namespace: 'empty' }));
        build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
    },
};

const path = require('path');

esbuild.build({
    absWorkingDir: __dirname, // aliases resolve from here (node_modules/@plotly/regl)
    entryPoints: [process.argv[2]],
    outfile: path.resolve(process.argv[3]),
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    plugins: [noMapStyles, InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'warning',
}).catch(() => process.exit(1));
