import { statSync } from "node:fs";
import { basename, join, normalize, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { locateUi, type UiLocation } from "./locate.js";
import { notBuiltPage } from "./not-built.js";

/** Vite names bundles `name-<hash>.js`: their content never changes under that name. */
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.(?:js|mjs|css|woff2?|ttf|svg|png|jpe?g|gif|webp|ico|map|wasm)$/;
const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html names the current bundles: the browser must ask every time (an ETag makes that cheap). */
const REVALIDATE = "no-cache";

export interface UiOptions {
  /** The built UI folder (holds index.html); default: see locateUi. */
  dir?: string;
}

/**
 * Serve the single-page app at `/`: files of the build as they are, and index.html for any
 * other page a browser asks for (`/runs/0190...` is a route of the app, not a file). `/api`
 * stays the API's: an unknown API path is a JSON 404, never the app. Open to everyone
 * (permission "none"): the app's own login page must load before any credential exists.
 */
export async function mountUi(app: FastifyInstance, options: UiOptions = {}): Promise<UiLocation> {
  const ui = locateUi(options.dir);
  if (ui.built) {
    // preCompressed: the UI build writes `.br` and `.gz` beside each text file (scripts/compress.mjs),
    // so a browser gets the bundle at a fraction of its size without compressing on every request.
    await app.register(fastifyStatic, { root: ui.dir, serve: false, cacheControl: false, index: false, dotfiles: "ignore", preCompressed: true });
  } else {
    app.log.warn(`the web UI is not built (no index.html in ${ui.dir}); / explains how to build it`);
  }
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = decodeURIComponent(request.url.split("?")[0]!);
    if (path === "/api" || path.startsWith("/api/")) return reply.callNotFound();
    if (!ui.built) return reply.header("cache-control", REVALIDATE).type("text/html; charset=utf-8").send(notBuiltPage(ui));
    const file = fileIn(ui.dir, path);
    if (file) {
      reply.header("cache-control", HASHED.test(basename(file)) ? IMMUTABLE : REVALIDATE);
      return reply.sendFile(file.slice(ui.dir.length + 1));
    }
    // A page of the app (deep link, reload): index.html, when a browser asks for a page.
    if (!acceptsHtml(request) || /\.[A-Za-z0-9]{1,8}$/.test(path)) return reply.callNotFound();
    return reply.header("cache-control", REVALIDATE).sendFile("index.html");
  };
  // GET only: Fastify answers HEAD from the GET routes itself.
  for (const url of ["/", "/*"]) app.route({ method: "GET", url, config: { permission: "none" }, schema: { hide: true }, handler });
  return ui;
}

/** The file under `root` that `path` names, if it is one; never a path outside `root`. */
function fileIn(root: string, path: string): string | undefined {
  if (path.includes("\0")) return undefined;
  const target = normalize(join(root, path));
  if (!target.startsWith(root + sep)) return undefined;
  try {
    return statSync(target).isFile() ? target : undefined;
  } catch {
    return undefined;
  }
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  return accept.includes("text/html") || accept.includes("*/*") || accept === "";
}
