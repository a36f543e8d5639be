import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the built UI is, and whether it is there. */
export interface UiLocation {
  dir: string;
  /** How the folder was found, for the log and the "not built" page. */
  source: "option" | "BATON_SERVER_UI_DIR" | "@baton/ui" | "workspace";
  built: boolean;
}

const isBuilt = (dir: string): boolean => existsSync(join(dir, "index.html"));

/**
 * The UI is the `dist` folder of the @baton/ui package: found through Node's resolution when
 * the package is installed beside the server, else next to the server package in this
 * repository (packages/server/dist/ui -> packages/ui/dist). `BATON_SERVER_UI_DIR` (or the
 * `uiDir` option) points at another build, e.g. one a UI developer is iterating on.
 */
export function locateUi(explicit?: string, env: NodeJS.ProcessEnv = process.env): UiLocation {
  if (explicit) return { dir: resolve(explicit), source: "option", built: isBuilt(resolve(explicit)) };
  const fromEnv = env.BATON_SERVER_UI_DIR?.trim();
  if (fromEnv) return { dir: resolve(fromEnv), source: "BATON_SERVER_UI_DIR", built: isBuilt(resolve(fromEnv)) };
  const installed = installedUiDir();
  if (installed && isBuilt(installed)) return { dir: installed, source: "@baton/ui", built: true };
  const workspace = fileURLToPath(new URL("../../../ui/dist/", import.meta.url));
  return { dir: workspace, source: "workspace", built: isBuilt(workspace) };
}

function installedUiDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@baton/ui/package.json")), "dist");
  } catch {
    return undefined; // not installed, or its exports hide package.json: the workspace path is next
  }
}
