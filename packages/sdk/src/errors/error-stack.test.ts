import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { MAX_STACK_FRAMES, cleanStack, serializeFailure, stackOf } from "./error-stack.js";

const ROOT = "/srv/project";
const frames = (...lines: string[]) => ["Error: boom", ...lines].join("\n");

describe("cleanStack", () => {
  it("names files inside the project relatively, and leaves Baton's and dependencies' absolute", () => {
    const stack = frames(
      "    at explode (/srv/project/lib/explode.ts:4:9)",
      "    at /srv/project/flows/etl.ts:12:5",
      "    at async <anonymous> (/srv/project/flows/etl.ts:20:3)",
      "    at invoke (/opt/baton/packages/sdk/dist/engine/task-run-engine.js:16:32)",
      "    at parse (/srv/project/node_modules/csv/index.js:1:2)",
      "    at other (/srv/projection/x.ts:1:1)",
    );
    expect(cleanStack(stack, ROOT)).toBe(
      frames(
        "    at explode (lib/explode.ts:4:9)",
        "    at flows/etl.ts:12:5",
        "    at async <anonymous> (flows/etl.ts:20:3)",
        "    at invoke (/opt/baton/packages/sdk/dist/engine/task-run-engine.js:16:32)",
        "    at parse (/srv/project/node_modules/csv/index.js:1:2)",
        "    at other (/srv/projection/x.ts:1:1)",
      ),
    );
  });

  it("turns file: URLs into paths and drops the query strings loaders add", () => {
    const stack = frames(
      "    at run (file:///srv/project/flows/etl.ts?tsx-namespace=1234:7:1)",
      "    at /srv/project/flows/cjs.ts?namespace=abcd:3:2",
      "    at go (file:///opt/baton/dist/index.js:1:1)",
      "    at name with spaces (file:///srv/project/flows/a%20b.ts:2:2)",
    );
    expect(cleanStack(stack, ROOT)).toBe(
      frames(
        "    at run (flows/etl.ts:7:1)",
        "    at flows/cjs.ts:3:2",
        "    at go (/opt/baton/dist/index.js:1:1)",
        "    at name with spaces (flows/a b.ts:2:2)",
      ),
    );
  });

  it("drops Node's internal frames and keeps the others that are not files", () => {
    const stack = frames(
      "    at f (/srv/project/flows/etl.ts:1:1)",
      "    at AsyncLocalStorage.run (node:internal/async_local_storage/async_context_frame:65:14)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      "    at node:internal/main/run_main_module:28:49",
      "    at AsyncLocalStorage.run (node:async_hooks:346:14)",
      "    at Promise.all (index 0)",
      "    at <anonymous>",
    );
    expect(cleanStack(stack, ROOT)).toBe(
      frames("    at f (flows/etl.ts:1:1)", "    at AsyncLocalStorage.run (node:async_hooks:346:14)", "    at Promise.all (index 0)", "    at <anonymous>"),
    );
  });

  it("cuts a data: URL (a module compiled in memory) to the file it came from, saying its lines are the compiled ones", () => {
    const source = `__filename="/srv/project/flows/x.ts";(()=>{require = require("node:module").createRequire("/srv/project/flows/x.ts");${"var a = 1;".repeat(2000)}})()`;
    const url = `data:text/javascript,${encodeURIComponent(source)}?filePath=${encodeURIComponent("/srv/project/flows/x.ts?namespace=1")}`;
    const cleaned = cleanStack(frames(`    at <anonymous> (${url}:40:11)`, `    at ${url.replace("?filePath", "?other")}:41:1`), ROOT);
    expect(cleaned).toBe(frames("    at <anonymous> (data:text/javascript,… (compiled from flows/x.ts):40:11)", "    at data:text/javascript,…:41:1"));
  });

  it(`keeps the first ${MAX_STACK_FRAMES} frames and counts the rest`, () => {
    const many = Array.from({ length: 120 }, (_, i) => `    at f${i} (/srv/project/flows/deep.ts:${i + 1}:1)`);
    const cleaned = cleanStack(frames(...many), ROOT).split("\n");
    expect(cleaned).toHaveLength(1 + MAX_STACK_FRAMES + 1);
    expect(cleaned[1]).toBe("    at f0 (flows/deep.ts:1:1)");
    expect(cleaned[MAX_STACK_FRAMES]).toBe(`    at f${MAX_STACK_FRAMES - 1} (flows/deep.ts:${MAX_STACK_FRAMES}:1)`);
    expect(cleaned.at(-1)).toBe(`    ... ${120 - MAX_STACK_FRAMES} more frames`);
  });

  it("keeps a multi-line message and bounds a huge one", () => {
    expect(cleanStack("Error: line one\nline two\n    at f (/srv/project/a.ts:1:1)", ROOT)).toBe("Error: line one\nline two\n    at f (a.ts:1:1)");
    const huge = cleanStack(`Error: ${"x".repeat(10_000)}\n    at f (/srv/project/a.ts:1:1)`, ROOT);
    expect(huge.length).toBeLessThan(2_100);
    expect(huge.endsWith("…\n    at f (a.ts:1:1)")).toBe(true);
  });
});

describe("serializeFailure and stackOf", () => {
  it("store a real error's stack cleaned: no Node internals, at most the frame limit", () => {
    const previous = Error.stackTraceLimit;
    Error.stackTraceLimit = 200;
    try {
      const recurse = (n: number): never => (n === 0 ? (() => { throw new TypeError("deep"); })() : recurse(n - 1));
      let caught: unknown;
      try {
        recurse(150);
      } catch (error) {
        caught = error;
      }
      const serialized = serializeFailure(caught);
      expect(serialized).toMatchObject({ name: "TypeError", message: "deep" });
      const lines = serialized.stack!.split("\n");
      expect(lines[0]).toBe("TypeError: deep");
      expect(lines.filter((l) => l.trimStart().startsWith("at "))).toHaveLength(MAX_STACK_FRAMES);
      expect(lines.at(-1)).toMatch(/^ {4}\.\.\. \d+ more frames$/);
      expect(serialized.stack).not.toContain("node:internal");
      expect(stackOf(caught)).toBe(serialized.stack);
    } finally {
      Error.stackTraceLimit = previous;
    }
  });

  it("leave an error without a stack, and a thrown non-error, as they were", () => {
    expect(serializeFailure("plain text")).toEqual({ name: "Error", message: "plain text" });
    expect(stackOf("plain text")).toBe("plain text");
    const bare = new Error("no stack");
    bare.stack = undefined;
    expect(serializeFailure(bare)).toEqual({ name: "Error", message: "no stack" });
  });
});

describe("serializeFailure says a failure once, in the flow's own terms", () => {
  it("a Baton error a user can fix: its message once, its code once, none of Baton's frames", async () => {
    const { GitHostKeyChanged } = await import("../pull-steps/git-errors.js");
    const error = new GitHostKeyChanged("GitHostKeyChanged: the SSH host key of git@example.com:team/etl.git is not the one in known_hosts");
    const serialized = serializeFailure(error);
    expect(serialized.stack).toBe("GitHostKeyChanged: the SSH host key of git@example.com:team/etl.git is not the one in known_hosts");
  });

  it("a flow's error keeps the flow's frames and drops Baton's engine and tsx frames", () => {
    const dist = fileURLToPath(new URL("../../dist/engine/task-run-engine.js", import.meta.url));
    const error = new Error("source s3://bucket/missing.csv not found");
    error.stack = [
      "Error: source s3://bucket/missing.csv not found",
      "    at readSource (/srv/project/flows/etl.ts:4:9)",
      `    at invoke (${dist}:16:32)`,
      `    at async runTask (${pathToFileURL(dist).href}:40:7)`,
      "    at load (/srv/project/node_modules/tsx/dist/esm/index.mjs:1:2)",
      "    at async etl (/srv/project/flows/etl.ts:20:3)",
    ].join("\n");
    const stack = serializeFailure(error).stack!;
    expect(stack.split("\n")).toEqual([
      "Error: source s3://bucket/missing.csv not found",
      expect.stringMatching(/^ {4}at readSource \(.*flows\/etl\.ts:4:9\)$/),
      expect.stringMatching(/^ {4}at async etl \(.*flows\/etl\.ts:20:3\)$/),
    ]);
  });
});
