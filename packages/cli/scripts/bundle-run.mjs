#!/usr/bin/env node
/**
 * The run bundle (issue 14): what a flow run's process loads (`baton flow-run execute`, a spare
 * executor, a reused executor) as a few ES module files instead of some 260, since Node's ES
 * module loader costs more per file than evaluating the code. Built from the packages' dist/
 * (after `tsc -b`) into packages/cli/dist/run-bundle/. The worker starts run processes from it
 * when it is there (packages/worker/src/process/run-bundle.ts), else from the packages as before.
 *
 * "baton" and its subpaths are entries of their own, so that a flow file's `import "baton"`
 * gets the very SDK instance that runs it (packages/sdk/src/loader/bundle-entries.ts).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..");
const packages = dirname(cli);
const outdir = join(cli, "dist", "run-bundle");
const sdk = join(packages, "sdk");

/** "baton" and each of its subpaths -> the bundle's entry name. */
const sdkExports = JSON.parse(readFileSync(join(sdk, "package.json"), "utf8")).exports;
const batonEntries = {};
const entryPoints = {
  // bin/baton.js, whose `import("../dist/index.js")` becomes the "cli" entry below.
  run: join(cli, "bin", "baton.js"),
  cli: join(cli, "dist", "index.js"),
  "spare-entry": join(packages, "worker", "dist", "process", "spare-entry.js"),
  "reuse-entry": join(packages, "worker", "dist", "process", "reuse-entry.js"),
  // The API's schemas, loaded by the SDK on first use only (core-schemas.ts): an entry of its own,
  // so a run that never needs them does not even parse them.
  "baton-core": join(packages, "core", "dist", "index.js"),
  // Registered by the loader (resolve-baton.ts) as `new URL("./resolve-hook.js", import.meta.url)`.
  "resolve-hook": join(sdk, "dist", "loader", "resolve-hook.js"),
};
for (const [subpath, target] of Object.entries(sdkExports)) {
  const specifier = subpath === "." ? "baton" : `baton/${subpath.slice(2)}`;
  const name = specifier.replace("/", "-");
  // From dist/, beside its "types", not the SDK's own bundle (packages/sdk/scripts/bundle.mjs) its
  // "default" names: the lazy requires below are found by their dist/ file names.
  entryPoints[name] = join(sdk, target.types.replace(/\.d\.ts$/, ".js"));
  batonEntries[specifier] = `./${name}.js`;
}

/**
 * The SDK loads some modules on first use with `createRequire(import.meta.url)(name)`
 * (core-schemas.ts); from the bundle that would load the packages' own copy. A plain
 * `require(name)` esbuild bundles, still evaluated on first use only; the API's schemas (the
 * whole of @baton/core) are the bundle's "baton-core" entry, required (an ES module, which Node
 * 20.19+ requires) from beside the running chunk: their chunks are the same instances.
 */
const lazyRequires = {
  name: "lazy-requires",
  setup(b) {
    b.onLoad({ filter: /[\\/]sdk[\\/]dist[\\/](core-schemas|settings[\\/]profiles)\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const code = source
        .replace(/createRequire\(import\.meta\.url\)\((?!"@baton\/core"\))/g, "require(")
        .replaceAll('createRequire(import.meta.url)("@baton/core")', 'createRequire(import.meta.url)("./baton-core.js")');
      if (code === source) throw new Error(`${args.path}: no createRequire(import.meta.url) to bundle; update bundle-run.mjs`);
      return { contents: code, loader: "js" };
    });
  },
};

/**
 * The CLI and the worker import "baton" by name, which Node resolves to the SDK's own bundle
 * (packages/sdk/scripts/bundle.mjs): bundled from there, the run bundle would hold a second SDK
 * beside its "baton" entries (two run contexts, the stack root set in one and read in the other).
 * Every "baton" import is the dist/ module its entry was built from.
 */
const batonFromDist = {
  name: "baton-from-dist",
  setup(b) {
    const dist = new Map(Object.keys(batonEntries).map((specifier) => [specifier, entryPoints[specifier.replace("/", "-")]]));
    b.onResolve({ filter: /^baton(\/|$)/ }, (args) => {
      const path = dist.get(args.path);
      if (!path) throw new Error(`${args.importer}: imports "${args.path}", which is not an entry of the SDK's package.json exports`);
      return { path };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: cli,
  metafile: true,
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  define: { __BATON_BUNDLE_ENTRIES__: JSON.stringify(batonEntries) },
  // CommonJS dependencies (commander, yaml...) require Node's own modules: an ES module has no `require`.
  banner: { js: 'import { createRequire as __batonRequire } from "node:module"; const require = __batonRequire(import.meta.url);' },
  // Loaded from node_modules when used: native code (esbuild), a loader of its own (tsx), and
  // what a run's process never loads (the server, cloud SDKs, container engines).
  external: ["esbuild", "tsx", "tsx/*", "@baton/server", "@aws-sdk/*", "@opentelemetry/*", "@kubernetes/client-node", "kubernetes-models", "kubernetes-models/*", "dockerode", "prom-client", "better-sqlite3", "pg"],
  plugins: [lazyRequires, batonFromDist],
});

// What it was built from, relative to it: a `tsc -b` or an `npm install` after this leaves the
// bundle older than its inputs, and the worker then starts runs from the packages (run-bundle.ts).
const inputs = Object.keys(metafile.inputs).filter((input) => !input.startsWith("<")).map((input) => relative(outdir, resolve(cli, input)));
const second = inputs.find((input) => /sdk[\\/]dist[\\/]bundle[\\/]/.test(input));
if (second) throw new Error(`the run bundle took ${second} in: a second SDK beside its "baton" entries; resolve it in batonFromDist`);
writeFileSync(join(outdir, "inputs.json"), `${JSON.stringify(inputs)}\n`);
