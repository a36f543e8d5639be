#!/usr/bin/env node
// Holds the shape of the code (issue 13, part 6): which package may import which, no import
// circles inside a package, and no source file over 400 lines. Runs in `npm test` through
// test/layering.test.ts; run it alone with `node scripts/check-layering.mjs`.
// It reads imports with the TypeScript parser (already a dependency) rather than a graph tool so
// that type-only imports, dynamic imports and `.js` specifiers that name `.ts` files are read
// exactly as the compiler reads them.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MAX_LINES = 400;

// The layering: each package (folder under packages/) and the packages it may import.
export const LAYERS = {
  core: [],
  sdk: ["core"],
  worker: ["core", "sdk"],
  server: ["core", "sdk"],
  cli: ["core", "sdk", "worker", "server"],
  ui: ["core"],
};
// Packages whose folders (the first folder under src/, one concept each) must not import each
// other in a circle either: a folder stands above what it imports, so it can be read, tested and
// moved as one piece. A file directly under src/ counts as a folder of its own. Not yet held for
// sdk (engine, flow, task, deploy, reporter and signals import each other; context and logging)
// and ui (app with pages and components).
export const FOLDERS_ACYCLIC = new Set(["core", "server", "worker", "cli", "sdk", "ui"]);
// Folders of a package that stand side by side and import nothing of each other: the worker's
// infrastructures (what two of them share lives in a neutral folder such as output/ or command/).
export const APART_FOLDERS = { worker: ["process", "docker", "kubernetes"] };
// Packages that must run in a browser as well as Node: no `node:` module, no Node built-in.
const BROWSER_SAFE = new Set(["core", "ui"]);
const NODE_BUILTINS = new Set(
  ["assert", "async_hooks", "buffer", "child_process", "crypto", "dns", "events", "fs", "fs/promises", "http", "https",
    "module", "net", "os", "path", "process", "readline", "stream", "string_decoder", "timers", "timers/promises", "tls",
    "url", "util", "v8", "worker_threads", "zlib"],
);

// Known violations that are not fixed yet, each with its reason. A violation listed here does
// not fail the check; any other does, so the list can only shrink. Keys are
// "<rule>: <file relative to the repository>" exactly as the check prints them.
export const ALLOWED = new Map([]);

function packageNames() {
  const names = new Map(); // npm name -> folder
  for (const dir of readdirSync(join(ROOT, "packages"))) {
    const file = join(ROOT, "packages", dir, "package.json");
    if (existsSync(file)) names.set(JSON.parse(readFileSync(file, "utf8")).name, dir);
  }
  return names;
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

const isTest = (file) => /\.test\.(ts|tsx)$/.test(file) || file.split(sep).includes("__tests__");

/** A file parsed once for both readings below (parent links on: nodeGlobalsOf looks up). */
export function parse(file, text = readFileSync(file, "utf8")) {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

/** Every module specifier a file imports, with whether the import is for types only. */
export function importsOf(source) {
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier
      && ts.isStringLiteral(node.moduleSpecifier)) {
      let typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
      if (!typeOnly && bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))
        && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
        && !(ts.isImportDeclaration(node) && node.importClause?.name)) typeOnly = true;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword
        || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// Node globals a browser lacks; a browser-safe package must not reach for them either.
const NODE_GLOBALS = new Set(["Buffer", "process", "__dirname", "__filename", "global", "setImmediate", "require"]);

/** Node globals a file uses (names read as values, not property names or declarations). */
export function nodeGlobalsOf(source) {
  const found = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isName = (ts.isPropertyAccessExpression(parent) && parent.name === node)
        || ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent)
          || ts.isMethodDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent)
          || ts.isBindingElement(parent) || ts.isModuleDeclaration(parent)) && parent.name === node)
        || ts.isQualifiedName(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent);
      if (!isName) found.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found];
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, "");
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, "index.ts"), join(base, "index.tsx")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Runs every rule; returns the violations as { rule, file, message } (file relative to the root). */
export function checkLayering(root = ROOT) {
  const names = packageNames();
  const violations = [];
  const report = (rule, file, detail) => violations.push({ rule, file: relative(root, file), message: `${rule}: ${relative(root, file)}: ${detail}` });
  const packagesDir = join(root, "packages");
  const graphs = new Map(); // package folder -> Map(file -> Set(file)) for imports inside the package

  for (const pkg of Object.keys(LAYERS)) {
    const srcDir = join(packagesDir, pkg, "src");
    if (!existsSync(srcDir)) continue;
    const graph = new Map();
    graphs.set(pkg, graph);
    for (const file of sourceFiles(srcDir)) {
      const test = isTest(file);
      const text = readFileSync(file, "utf8");
      if (!test) {
        const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
        if (lines > MAX_LINES) report("file-too-long", file, `${lines} lines, over ${MAX_LINES}; split it into files with one job each`);
      }
      const source = parse(file, text);
      if (BROWSER_SAFE.has(pkg) && !test) {
        for (const name of nodeGlobalsOf(source)) {
          report("browser-safe", file, `uses Node's global ${name}; package "${pkg}" must run in a browser (use Web APIs: Uint8Array, TextEncoder, globalThis.crypto)`);
        }
      }
      const edges = new Set();
      graph.set(file, edges);
      for (const { specifier, typeOnly } of importsOf(source)) {
        let target;
        if (specifier.startsWith(".")) {
          const resolved = resolveRelative(file, specifier);
          if (!resolved) continue; // the compiler reports unresolved imports
          const rel = relative(packagesDir, resolved).split(sep);
          target = rel[0] === ".." ? undefined : rel[0];
          if (target === pkg) {
            const apart = APART_FOLDERS[pkg] ?? [];
            const [fromFolder] = relative(srcDir, file).split(sep);
            const [toFolder] = relative(srcDir, resolved).split(sep);
            if (fromFolder !== toFolder && apart.includes(fromFolder) && apart.includes(toFolder) && !test) {
              report("folders-apart", file, `imports ${specifier}, a file of ${toFolder}/; in package "${pkg}" the folders ${apart.map((f) => `${f}/`).join(", ")} import nothing of each other: move what both need into a neutral folder`);
            }
            // Type-only imports count too: a circle of types still ties two modules into one.
            if (!test && !isTest(resolved)) edges.add(resolved);
            continue;
          }
          if (target !== undefined) {
            report("no-deep-import", file, `imports ${specifier}, a file of package "${target}"; import the package by its name (and export what is needed from it)`);
          }
        } else {
          const bare = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
          if (BROWSER_SAFE.has(pkg) && !test && (specifier.startsWith("node:") || NODE_BUILTINS.has(bare))) {
            report("browser-safe", file, `imports ${specifier}; package "${pkg}" must run in a browser, so it imports no Node module (use Web APIs such as globalThis.crypto)`);
            continue;
          }
          const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
          target = names.get(name);
          if (target === undefined || target === pkg) continue;
        }
        if (target !== undefined && target !== pkg && !LAYERS[pkg].includes(target) && !test) {
          report("layering", file, `imports ${specifier} (package "${target}"); package "${pkg}" may import only ${LAYERS[pkg].length ? LAYERS[pkg].map((p) => `"${p}"`).join(", ") : "no other package"}`);
        }
      }
    }
  }

  for (const [pkg, graph] of graphs) {
    if (FOLDERS_ACYCLIC.has(pkg)) {
      const src = join(packagesDir, pkg, "src");
      for (const { files, chain } of folderCycles(graph, src)) {
        report("folder-cycle", files[0], `folders of package "${pkg}" import each other in a circle: ${chain}; the lower folder must not import the higher (move the shared piece down into its own folder, or pass it in from the caller)`);
      }
    }
    for (const cycle of findCycles(graph)) {
      const chain = [...cycle, cycle[0]].map((f) => relative(join(packagesDir, pkg, "src"), f)).join(" -> ");
      report("import-cycle", cycle[0], `imports form a circle in package "${pkg}": ${chain}; move what both sides need into a third module`);
    }
  }
  return violations;
}

/** The circles among a package's folders, each with the file imports that make one of its steps. */
function folderCycles(graph, src) {
  const folderOf = (file) => relative(src, file).split(sep)[0];
  const folders = new Map(); // folder -> Set(folder)
  const witness = new Map(); // "a\u0000b" -> "fileA -> fileB"
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    if (!folders.has(from)) folders.set(from, new Set());
    for (const target of targets) {
      const to = folderOf(target);
      if (to === from) continue;
      folders.get(from).add(to);
      const key = `${from}\u0000${to}`;
      if (!witness.has(key)) witness.set(key, `${relative(src, file)} -> ${relative(src, target)}`);
    }
  }
  // A circle of files directly under src/ is an import-cycle already; report folders only.
  const isRootFile = (node) => /\.(ts|tsx|mts)$/.test(node);
  return findCycles(folders).filter((cycle) => !cycle.every(isRootFile)).map((cycle) => {
    const steps = cycle.map((folder, i) => witness.get(`${folder}\u0000${cycle[(i + 1) % cycle.length]}`));
    const firstFile = join(src, steps[0].split(" -> ")[0]);
    return { files: [firstFile], chain: `${[...cycle, cycle[0]].join(" -> ")} (${steps.join(", ")})` };
  });
}

/** One representative circle per strongly connected component (Tarjan), starting at its first file by name. */
function findCycles(graph) {
  let index = 0;
  const indices = new Map(), low = new Map(), stack = [], onStack = new Set(), components = [];
  const connect = (v) => {
    indices.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) { connect(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) connect(v);
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    // Shortest path back to the start inside the component: a readable circle, not the whole knot.
    const previous = new Map([[start, null]]);
    const queue = [start];
    while (queue.length) {
      const v = queue.shift();
      for (const w of graph.get(v) ?? []) {
        if (w === start) {
          const path = [];
          for (let x = v; x !== null; x = previous.get(x)) path.unshift(x);
          return path;
        }
        if (members.has(w) && !previous.has(w)) { previous.set(w, v); queue.push(w); }
      }
    }
    return [start];
  });
}

/** Splits violations into those the allow-list excuses and those that fail; also names stale allow-list entries. */
export function judge(violations, allowed = ALLOWED) {
  const keys = new Set(violations.map((v) => `${v.rule}: ${v.file}`));
  return {
    failing: violations.filter((v) => !allowed.has(`${v.rule}: ${v.file}`)),
    excused: violations.filter((v) => allowed.has(`${v.rule}: ${v.file}`)),
    stale: [...allowed.keys()].filter((k) => !keys.has(k)),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { failing, excused, stale } = judge(checkLayering());
  for (const key of new Set(excused.map((v) => `${v.rule}: ${v.file}`))) console.log(`allowed: ${key} (${ALLOWED.get(key)})`);
  for (const k of stale) console.error(`stale allow-list entry (fixed; remove it from scripts/check-layering.mjs): ${k}`);
  for (const v of failing) console.error(v.message);
  console.log(`\n${failing.length} violation(s), ${excused.length} allowed, ${stale.length} stale allow-list entr${stale.length === 1 ? "y" : "ies"}`);
  process.exit(failing.length || stale.length ? 1 : 0);
}
