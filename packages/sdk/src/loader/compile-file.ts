import { readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ENTRYPOINT_EXTENSIONS } from "./entrypoint.js";

/** Why a file cannot take the compiled path; the loader then uses tsx, as before. */
export class NotCompilable extends Error {}

/**
 * The project's tsconfig as text (part of every record's key), or NotCompilable when it has
 * `paths` or `baseUrl` (they turn package-like names into files) or `extends` (a file not hashed).
 */
export function tsconfigText(tsconfig: string | undefined): string | undefined {
  if (tsconfig === undefined) return undefined;
  const text = readFileSync(tsconfig, "utf8");
  if (/"(paths|baseUrl|extends)"/.test(text)) throw new NotCompilable(`${tsconfig} has paths, baseUrl or extends`);
  return text;
}

export interface CompiledFile {
  code: string;
  /** The relative files it imports, as paths relative to its folder (`./helpers.ts`). */
  deps: string[];
}

/**
 * How an import is written in the compiled code: `relative` for a file of the project (its path
 * relative to the importer, with its extension), `bare` for a package name. Throws NotCompilable
 * for an import the compiled form cannot reproduce.
 */
export interface ImportWriter {
  relative(relativePath: string, absolutePath: string): string;
  bare(specifier: string): string;
}

/**
 * One TypeScript (or JavaScript) file compiled with esbuild the way tsx compiles it (target this
 * Node, names kept), with a source map naming the source file, so that stacks read
 * `flows/etl.ts:12`, and each import written by `imports`. `import.meta.url`, `.filename` and
 * `.dirname` become the source file's (ES modules only).
 *
 * Anything this cannot reproduce exactly throws NotCompilable: `require()` or `import()` calls
 * (resolved at run time, where `.ts` files need tsx's resolver), any other `import.meta`, imports
 * of absolute paths or of non-code files.
 */
export async function compileFile(path: string, source: string, tsconfig: string | undefined, format: "cjs" | "esm", imports: ImportWriter): Promise<CompiledFile> {
  if (/\brequire\s*\(|\bimport\s*\(/.test(source)) throw new NotCompilable(`${path} loads modules at run time`);
  if (format === "cjs" && /\bimport\s*\.\s*meta\b/.test(source)) throw new NotCompilable(`${path} reads import.meta in a CommonJS file`);
  const esbuild = await import("esbuild");
  const deps: string[] = [];
  const url = pathToFileURL(path).href;
  const result = await esbuild
    .build({
      stdin: { contents: source, sourcefile: basename(path), resolveDir: dirname(path), loader: loaderOf(path) },
      bundle: true,
      write: false,
      format,
      platform: "node",
      target: `node${process.versions.node}`,
      keepNames: true,
      sourcemap: "external",
      sourcesContent: false,
      outfile: join(dirname(path), "compiled.js"),
      logLevel: "silent",
      ...(format === "esm" ? { define: { "import.meta.url": JSON.stringify(url), "import.meta.filename": JSON.stringify(path), "import.meta.dirname": JSON.stringify(dirname(path)) } } : {}),
      ...(tsconfig ? { tsconfig } : {}),
      plugins: [
        {
          name: "baton-imports",
          setup(build) {
            build.onResolve({ filter: /.*/ }, async (args) => {
              if (args.pluginData === "resolving") return undefined;
              if (args.kind !== "import-statement") throw new NotCompilable(`${args.importer} has a ${args.kind} of "${args.path}"`);
              if (!args.path.startsWith("./") && !args.path.startsWith("../")) {
                if (args.path.startsWith("/") || (args.path.includes(":") && !args.path.startsWith("node:"))) throw new NotCompilable(`"${args.path}" is not relative`);
                return { path: imports.bare(args.path), external: true };
              }
              const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "resolving" });
              if (found.errors.length > 0 || !found.path) throw new NotCompilable(`"${args.path}" does not resolve`);
              if (!(ENTRYPOINT_EXTENSIONS as readonly string[]).includes(extname(found.path))) throw new NotCompilable(`"${args.path}" is not a code file`);
              const spec = relative(dirname(path), found.path).split("\\").join("/");
              const dep = spec.startsWith(".") ? spec : `./${spec}`;
              if (!deps.includes(dep)) deps.push(dep);
              return { path: imports.relative(dep, found.path), external: true };
            });
          },
        },
      ],
    })
    .catch((error: unknown) => {
      // A syntax error, an unresolved import...: tsx reports it, with the messages users know.
      throw error instanceof NotCompilable ? error : new NotCompilable(error instanceof Error ? error.message : String(error));
    });
  const code = result.outputFiles.find((file) => file.path.endsWith(".js"))?.text;
  const map = result.outputFiles.find((file) => file.path.endsWith(".map"))?.text;
  if (code === undefined || map === undefined) throw new NotCompilable(`esbuild wrote no code for ${path}`);
  if (format === "esm" && /\bimport\s*\.\s*meta\b/.test(code)) throw new NotCompilable(`${path} reads import.meta beyond url, filename and dirname`);
  // A CommonJS record runs as the source file itself, from any checkout: its map names the file
  // relative to itself. An ES module runs from the cache: its map names the source's URL.
  return { code: withSourceMap(code, map, format === "cjs" ? basename(path) : url), deps };
}

/** The map inline, with its one source named `source`. */
function withSourceMap(code: string, map: string, source: string): string {
  const parsed = JSON.parse(map) as { sources: string[] };
  parsed.sources = [source];
  const body = code.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, "\n");
  return `${body}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(parsed)).toString("base64")}\n`;
}

function loaderOf(path: string): "ts" | "tsx" | "js" {
  const ext = extname(path);
  if (ext === ".tsx") return "tsx";
  return ext === ".js" || ext === ".mjs" || ext === ".cjs" ? "js" : "ts";
}
