import { basename, isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { SerializedError } from "@baton/core";
import { BatonError, serializeError } from "@baton/core/runtime";

/** Frames kept in a stored stack: enough to reach the user's code under the engine's own frames. */
export const MAX_STACK_FRAMES = 50;
/** The lines before the frames repeat the message, which is stored on its own: kept short. */
const MAX_HEADER_CHARS = 2_000;

let stackRoot: string | undefined;

/**
 * The folder whose files a stored stack names relatively (`flows/etl.ts:12:5`): the project
 * the flow was loaded from (the loader sets it), else the process's current folder.
 */
export function setStackRoot(directory: string): void {
  stackRoot = directory;
}

/** `serializeError` with the stack made readable and bounded: what a state's `data.error` holds. */
export function serializeFailure(error: unknown): SerializedError {
  const serialized = serializeError(error);
  if (!serialized.stack) return serialized;
  // A Baton error a user can fix (a pull step, the entrypoint, a parameter) says all in its
  // message: its frames are Baton's own and only bury it.
  const stack = error instanceof BatonError && error.status < 500 ? headerOf(serialized.stack) : cleanStack(withoutBatonFrames(serialized.stack));
  return { ...serialized, stack };
}

/**
 * Baton's own code, not the flow's: this package (its dist/, and its src/ where source maps point
 * frames), the installed packages, and in a checkout of Baton itself every package beside this one.
 */
const SDK_ROOT_URL = new URL("../../", import.meta.url);
const PACKAGES_URL = new URL("../", SDK_ROOT_URL);
const BATON_ROOT_URLS = basename(fileURLToPath(PACKAGES_URL)) === "packages" ? [PACKAGES_URL] : [new URL("dist/", SDK_ROOT_URL), new URL("src/", SDK_ROOT_URL)];
// The folder of this very file too: in the run bundle (packages/cli/scripts/bundle-run.mjs) it is the bundle's, whose files are all Baton's.
const BATON_DIST = [...BATON_ROOT_URLS, new URL("./", import.meta.url)].flatMap((url) => [fileURLToPath(url), url.href]);
const BATON_PACKAGE = /[\\/]node_modules[\\/](?:baton|@baton[\\/][^\\/]+|tsx)[\\/]/;

/** Baton's own frame; a test file beside Baton's code defines flows of its own, so it is the flow's. */
function isBatonFrame(frame: string): boolean {
  if (/\.(test|spec)\.[cm]?[jt]sx?:/.test(frame)) return false;
  return BATON_DIST.some((d) => frame.includes(d)) || BATON_PACKAGE.test(frame);
}

/** The frames of the flow's code, under the message; all frames when none is the flow's. */
function withoutBatonFrames(stack: string): string {
  const lines = stack.split("\n");
  const first = lines.findIndex(isFrame);
  if (first === -1) return stack;
  const frames = lines.slice(first);
  const own = frames.filter((f) => !isBatonFrame(f) && !/\(node:|\bat node:/.test(f));
  return own.length > 0 ? [...lines.slice(0, first), ...own].join("\n") : stack;
}

/** The lines before the frames, with a code its message already starts with said once. */
function headerOf(stack: string): string {
  const lines = stack.split("\n");
  const first = lines.findIndex(isFrame);
  return dedupeCode(truncate((first === -1 ? lines : lines.slice(0, first)).join("\n"), MAX_HEADER_CHARS));
}

/** `GitHostKeyChanged: GitHostKeyChanged: ...` (a name before a message that begins with it) said once. */
export function dedupeCode(text: string): string {
  return text.replace(/^([A-Za-z][\w.]*): \1: /, "$1: ");
}

/** The cleaned stack of an error, or the error as text when it has none: for log lines. */
export function stackOf(error: unknown): string {
  return error instanceof Error && error.stack ? cleanStack(error.stack) : String(error);
}

/**
 * A stack as a person reads it: Node's internal frames dropped (they say nothing about the
 * flow), locations as paths relative to the project (`file:` URLs and loader query strings
 * removed), a `data:` URL (a module compiled in memory, whose URL is its whole source) cut to a
 * name, and at most MAX_STACK_FRAMES frames, so a deep recursion cannot bloat the state.
 */
export function cleanStack(stack: string, root: string = stackRoot ?? process.cwd()): string {
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex(isFrame);
  const header = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join("\n");
  if (firstFrame === -1) return dedupeCode(truncate(header, MAX_HEADER_CHARS));
  const frames = lines
    .slice(firstFrame)
    .filter((line) => isFrame(line) && !line.includes("node:internal/"))
    .map((line) => rewriteFrame(line, root));
  const kept = frames.slice(0, MAX_STACK_FRAMES);
  const more = frames.length - kept.length;
  return [dedupeCode(truncate(header, MAX_HEADER_CHARS)), ...kept, ...(more > 0 ? [`    ... ${more} more frame${more === 1 ? "" : "s"}`] : [])].join("\n");
}

function isFrame(line: string): boolean {
  return /^\s+at /.test(line);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `    at fn (LOCATION:12:5)` or `    at LOCATION:12:5`: LOCATION rewritten, the rest kept. */
function rewriteFrame(line: string, root: string): string {
  // Found by how a location starts, not by the last "(": a data: URL holds parentheses of its own.
  const start = /(?:\(|\bat (?:async )?)(?=file:\/\/|data:|\/|[A-Za-z]:\\)/.exec(line);
  if (!start) return line;
  const from = start.index + start[0].length;
  const to = start[0] === "(" && line.endsWith(")") ? line.length - 1 : line.length;
  const [, location, position = ""] = /^(.*?)(:\d+:\d+)?$/s.exec(line.slice(from, to))!;
  return `${line.slice(0, from)}${readableLocation(location!, root)}${position}${line.slice(to)}`;
}

function readableLocation(location: string, root: string): string {
  if (location.startsWith("data:")) return compiledName(location, root);
  let path = location;
  if (path.startsWith("file://")) {
    try {
      path = fileURLToPath(path.replace(/[?#].*$/, ""));
    } catch {
      return location;
    }
  } else if (isAbsolute(path)) {
    // tsx loads each entrypoint in a namespace of its own, marked in the query string.
    path = path.replace(/\?.*$/, "");
  } else {
    return location;
  }
  return projectRelative(path, root);
}

/** A module compiled in memory is named by its whole source; tsx puts the file it came from in `filePath`. */
function compiledName(location: string, root: string): string {
  const kind = /^data:([^,;]*)/.exec(location)?.[1] || "text/javascript";
  const filePath = /[?&]filePath=([^&:]+)/.exec(location)?.[1];
  if (!filePath) return `data:${kind},…`;
  let path: string;
  try {
    path = decodeURIComponent(filePath).replace(/\?.*$/, "");
  } catch {
    return `data:${kind},…`;
  }
  // The line numbers of such a frame are the compiled JavaScript's, not the file's: say so.
  return `data:${kind},… (compiled from ${projectRelative(path, root)})`;
}

/** Inside the project (and not a dependency): relative; elsewhere (Baton itself, node_modules): absolute. */
function projectRelative(path: string, root: string): string {
  const rel = relative(root, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("node_modules")) return path;
  return rel.split(sep).join("/");
}
