// The layering check (scripts/check-layering.mjs) as a test, so `npm test` and .ci/run fail on a
// new violation. The rule tests drive the check over a throwaway tree of packages.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script, no declarations
import { checkLayering, judge, MAX_LINES } from "../scripts/check-layering.mjs";

type Violation = { rule: string; file: string; message: string };

describe("the layering of the repository", () => {
  it("holds: no new violation and no stale allow-list entry", () => {
    const { failing, stale } = judge(checkLayering()) as { failing: Violation[]; stale: string[] };
    expect(failing.map((v) => v.message)).toEqual([]);
    expect(stale).toEqual([]);
    // It parses every source file of the repository: on a loaded two-core machine that takes over a minute.
  }, 180_000);
});

describe("the layering check", () => {
  let root: string | undefined;
  afterEach(() => { if (root) rmSync(root, { recursive: true, force: true }); root = undefined; });

  function tree(files: Record<string, string>): Violation[] {
    root = mkdtempSync(join(tmpdir(), "layering-"));
    const names: Record<string, string> = { core: "@baton/core", sdk: "baton", server: "@baton/server", worker: "@baton/worker", cli: "@baton/cli", ui: "@baton/ui" };
    for (const [dir, name] of Object.entries(names)) {
      mkdirSync(join(root, "packages", dir, "src"), { recursive: true });
      writeFileSync(join(root, "packages", dir, "package.json"), JSON.stringify({ name }));
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return checkLayering(root) as Violation[];
  }

  it("passes a tree that keeps the layering", () => {
    expect(tree({
      "packages/core/src/index.ts": `export const x = 1;`,
      "packages/sdk/src/index.ts": `import { x } from "@baton/core";\nexport const y = x;`,
      "packages/cli/src/index.ts": `import "@baton/server";\nimport "baton";\nimport { readFileSync } from "node:fs";`,
    })).toEqual([]);
  });

  it("names the file and the rule when core imports a Node module or another package", () => {
    const found = tree({
      "packages/core/src/ids.ts": `import { randomUUID } from "node:crypto";`,
      "packages/core/src/uses-sdk.ts": `import { flow } from "baton";`,
    });
    expect(found.map((v) => v.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^browser-safe: packages\/core\/src\/ids\.ts: imports node:crypto/),
      expect.stringMatching(/^layering: packages\/core\/src\/uses-sdk\.ts: imports baton \(package "sdk"\); package "core" may import only no other package/),
    ]));
  });

  it("fails the UI importing a server file by a relative path", () => {
    const found = tree({ "packages/ui/src/live.ts": `import type { E } from "../../server/src/events.js";`, "packages/server/src/events.ts": `export type E = 1;` });
    expect(found.map((v) => v.rule).sort()).toEqual(["layering", "no-deep-import"]);
    expect(found[0].file).toBe("packages/ui/src/live.ts");
  });

  it("fails an import circle inside a package, type-only imports included", () => {
    const found = tree({
      "packages/server/src/a.ts": `import { b } from "./b.js";\nexport const a = b;`,
      "packages/server/src/b.ts": `import type { C } from "./c.js";\nexport const b = 1;`,
      "packages/server/src/c.ts": `import { a } from "./a.js";\nexport type C = typeof a;`,
    });
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/^import-cycle: packages\/server\/src\/a\.ts: .*a\.ts -> b\.ts -> c\.ts -> a\.ts/);
  });

  it("fails folders of the server that import each other in a circle, naming the files of each step", () => {
    const found = tree({
      "packages/server/src/flow-runs/routes.ts": `import { wake } from "../dispatch/notifier.js";\nexport const r = wake;`,
      "packages/server/src/dispatch/claim.ts": `import { readRun } from "../flow-runs/repository.js";\nexport const c = readRun;`,
      "packages/server/src/dispatch/notifier.ts": `export const wake = 1;`,
      "packages/server/src/flow-runs/repository.ts": `export const readRun = 1;`,
    });
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^folder-cycle: packages\/server\/src\/dispatch\/claim\.ts: .*dispatch -> flow-runs -> dispatch \(dispatch\/claim\.ts -> flow-runs\/repository\.ts, flow-runs\/routes\.ts -> dispatch\/notifier\.ts\)/),
    ]);
  });

  it("fails one worker infrastructure importing another's file", () => {
    const found = tree({
      "packages/worker/src/docker/spec.ts": `import { splitCommand } from "../process/execute-command.js";\nexport const s = splitCommand;`,
      "packages/worker/src/process/execute-command.ts": `export const splitCommand = 1;`,
    });
    expect(found.map((v) => v.message)).toEqual([expect.stringMatching(/^folders-apart: packages\/worker\/src\/docker\/spec\.ts: imports \.\.\/process\/execute-command\.js, a file of process\//)]);
  });

  it("fails a source file over the line limit but not a test file", () => {
    const long = "export const x = 1;\n".repeat(MAX_LINES + 1);
    const found = tree({ "packages/worker/src/big.ts": long, "packages/worker/src/big.test.ts": long });
    expect(found.map((v) => `${v.rule} ${v.file}`)).toEqual(["file-too-long packages/worker/src/big.ts"]);
  });

  it("lets the allow-list excuse a known violation and reports an entry that no longer matches", () => {
    const found = tree({ "packages/core/src/ids.ts": `import "node:crypto";` });
    const allowed = new Map([["browser-safe: packages/core/src/ids.ts", "reason"], ["file-too-long: packages/core/src/gone.ts", "reason"]]);
    const { failing, excused, stale } = judge(found, allowed);
    expect([failing.length, excused.length, stale]).toEqual([0, 1, ["file-too-long: packages/core/src/gone.ts"]]);
  });
});
