// esbuild options of the browser bundles, shared by scripts/build.mjs and the tests that bundle them
// before loading pages in Chromium.

/** What every browser bundle has in common: one minified bundle for the Chromium inside VS Code. */
function browserBundle(define) {
  return { bundle: true, platform: 'browser', target: 'chrome120', minify: true, define, logLevel: 'info', outdir: 'dist/media' };
}

// The results webview app: one browser script and one stylesheet (dist/media/results.{js,css}).
export function webviewBuildOptions(define = {}) {
  return {
    ...browserBundle(define),
    format: 'iife',
    entryPoints: [
      { in: 'media/results/main.ts', out: 'results' },
      { in: 'media/results/results.css', out: 'results' },
    ],
  };
}

// The notebook output renderer: an ES module VS Code loads into the notebook's webview
// (dist/media/notebook-renderer.js, contributed as a notebookRenderer in package.json).
export function notebookRendererBuildOptions(define = {}) {
  return {
    ...browserBundle(define),
    format: 'esm',
    entryPoints: { 'notebook-renderer': 'media/notebook/renderer.ts' },
    // The chart styles the results view bundles as a stylesheet come in as text, for the renderer's <style>.
    loader: { '.css': 'text' },
  };
}
