// esbuild options of the results webview app, shared by scripts/build.mjs and the tests that bundle
// the app before loading `trailscope view` pages in Chromium.
export function webviewBuildOptions(define = {}) {
  return {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    define,
    logLevel: 'info',
    outdir: 'dist/media',
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
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    minify: true,
    define,
    logLevel: 'info',
    entryPoints: { 'notebook-renderer': 'media/notebook/renderer.ts' },
    // The chart styles the results view bundles as a stylesheet come in as text, for the renderer's <style>.
    loader: { '.css': 'text' },
    outdir: 'dist/media',
  };
}
