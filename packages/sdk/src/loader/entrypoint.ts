import { extname } from "node:path";
import { EntrypointInvalid } from "./errors.js";

/** Files the loader can import: TypeScript through tsx, JavaScript natively. */
export const ENTRYPOINT_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs"] as const;

export interface Entrypoint {
  /** As written, relative to the folder baton runs from (or absolute). */
  file: string;
  exportName: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `flows/etl.ts:etlFlow` -> `{ file: "flows/etl.ts", exportName: "etlFlow" }`. */
export function parseEntrypoint(entrypoint: string): Entrypoint {
  // The last colon separates the export, so a Windows drive letter (C:\flows\etl.ts:f) survives.
  const at = entrypoint.lastIndexOf(":");
  if (at === -1) throw new EntrypointInvalid(entrypoint, "names no export (the part after ':')");
  const file = entrypoint.slice(0, at).trim();
  const exportName = entrypoint.slice(at + 1).trim();
  if (file === "" || /^[A-Za-z]$/.test(file)) throw new EntrypointInvalid(entrypoint, "names no file (the part before ':')");
  if (exportName === "") throw new EntrypointInvalid(entrypoint, "names no export (the part after ':')");
  if (!IDENTIFIER.test(exportName)) throw new EntrypointInvalid(entrypoint, `has "${exportName}" as export name, which is not a JavaScript identifier`);
  const ext = extname(file);
  if (!(ENTRYPOINT_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new EntrypointInvalid(entrypoint, `points at a ${ext ? `"${ext}"` : "extensionless"} file; Baton loads ${ENTRYPOINT_EXTENSIONS.join(", ")} files`);
  }
  return { file, exportName };
}
