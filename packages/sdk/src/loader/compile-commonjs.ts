import { basename, dirname, extname, relative } from "node:path";
import { ENTRYPOINT_EXTENSIONS } from "./entrypoint.js";

/** Why a file cannot take the compiled path; the loader then uses tsx, as before. */
export class NotCompilable extends Error {}

export interface CompiledFile {
  code: string;
  deps: string[];
}

/**
 * One TypeScript (or JavaScript) file compiled to CommonJS with esbuild, the way tsx compiles
 * it (target this Node, names kept, a source map naming the file itself so stacks read
 * `flows/etl.ts:12`), with each relative import written as the file it resolved to
 * (`./helpers` -> `./helpers.ts`) so that Node's own `require`, run as the source file, finds it.
 * Package imports are left to Node, resolved from the file's folder as before.
 *
 * Anything this cannot reproduce exactly throws NotCompilable: `require()` or `import()` calls
 * (resolved at run time, where `.ts` files need tsx's resolver), `import.meta`, imports of
 * absolute paths or of non-code files.
 */
export async function compileCommonJs(path: string, source: string, tsconfig: string | undefined): Promise<CompiledFile> {
  if (/\brequire\s*\(|\bimport\s*\(|\bimport\s*\.\s*meta\b/.test(source)) throw new NotCompilable(`${path} loads modules at run time or reads import.meta`);
  const esbuild = await import("esbuild");
  const deps: string[] = [];
  const result = await esbuild.build({
    stdin: { contents: source, sourcefile: basename(path), resolveDir: dirname(path), loader: loaderOf(path) },
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    target: `node${process.versions.node}`,
    keepNames: true,
    sourcemap: "inline",
    sourcesContent: false,
    // The code runs as the source file itself: its map's one source is the file's own name.
    outfile: path.replace(/\.[^./]+$/, ".baton-compiled.js"),
    logLevel: "silent",
    ...(tsconfig ? { tsconfig } : {}),
    plugins: [
      {
        name: "baton-relative-imports",
        setup(build) {
          build.onResolve({ filter: /.*/ }, async (args) => {
            if (args.pluginData === "resolving") return undefined;
            if (args.kind !== "import-statement") throw new NotCompilable(`${args.importer} has a ${args.kind} of "${args.path}"`);
            if (!args.path.startsWith("./") && !args.path.startsWith("../")) {
              if (args.path.startsWith("/") || args.path.includes(":") && !args.path.startsWith("node:")) throw new NotCompilable(`"${args.path}" is not relative`);
              return { path: args.path, external: true };
            }
            const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "resolving" });
            if (found.errors.length > 0 || !found.path) throw new NotCompilable(`"${args.path}" does not resolve`);
            if (!(ENTRYPOINT_EXTENSIONS as readonly string[]).includes(extname(found.path))) throw new NotCompilable(`"${args.path}" is not a code file`);
            const spec = relative(dirname(path), found.path).split("\\").join("/");
            const written = spec.startsWith(".") ? spec : `./${spec}`;
            if (!deps.includes(written)) deps.push(written);
            return { path: written, external: true };
          });
        },
      },
    ],
  }).catch((error: unknown) => {
    // A syntax error, an unresolved import...: tsx reports it, with the messages users know.
    throw new NotCompilable(error instanceof Error ? error.message : String(error));
  });
  const output = result.outputFiles.find((file) => file.path.endsWith(".js"));
  if (!output) throw new NotCompilable(`esbuild wrote no code for ${path}`);
  return { code: output.text, deps };
}

function loaderOf(path: string): "ts" | "tsx" | "js" | "jsx" {
  const ext = extname(path);
  if (ext === ".tsx") return "tsx";
  if (ext === ".jsx") return "jsx";
  return ext === ".js" || ext === ".mjs" || ext === ".cjs" ? "js" : "ts";
}
