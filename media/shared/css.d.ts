/** A stylesheet imported by a script comes in as its text (esbuild's `text` loader, see scripts/webview-build.mjs). */
declare module '*.css' {
  const text: string;
  export default text;
}
