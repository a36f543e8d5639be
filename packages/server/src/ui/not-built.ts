import type { UiLocation } from "./locate.js";

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** What `/` says when there is no UI build: where the server looked and how to make one. */
export function notBuiltPage(ui: UiLocation): string {
  const where = ui.source === "BATON_SERVER_UI_DIR" ? " (set by BATON_SERVER_UI_DIR)" : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baton: the web UI is not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The web UI is not built</h1>
<p>This Baton server is running and its API answers at <a href="/api/docs">/api/docs</a>, but there is no UI build in
<code>${escape(ui.dir)}</code>${where}.</p>
<p>Build it from the repository root with <code>npm run build</code>, then restart the server
(or point <code>BATON_SERVER_UI_DIR</code> at a folder holding a build's <code>index.html</code>).</p>
</body></html>
`;
}
