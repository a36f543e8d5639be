import { existsSync } from "node:fs";
import { expect, test } from "vitest";
import { splitCommand } from "../command/split-command.js";
import { resolveCommand } from "./execute-command.js";
import { runBundle } from "./run-bundle.js";

test("a command line is split as a shell would, quotes and escapes included", () => {
  expect(splitCommand(`baton flow-run execute`)).toEqual(["baton", "flow-run", "execute"]);
  expect(splitCommand(`sh -c "echo 'a b'" x\\ y ''`)).toEqual(["sh", "-c", "echo 'a b'", "x y", ""]);
  expect(() => splitCommand(`echo "open`)).toThrow(/unclosed " quote/);
});

test("baton is this installation's CLI run by this Node, so runs start without baton on PATH", () => {
  const [node, bin, ...rest] = resolveCommand("baton deployment ls");
  expect(node).toBe(process.execPath);
  expect(bin).toMatch(/cli\/bin\/baton\.js$/);
  expect(existsSync(bin!)).toBe(true);
  expect(rest).toEqual(["deployment", "ls"]);
  expect(resolveCommand("python run.py")).toEqual(["python", "run.py"]);
});

test("a run's `baton flow-run execute` starts from the run bundle when it is built, else from the CLI's own script", () => {
  const [node, bin, ...rest] = resolveCommand("baton flow-run execute");
  expect(node).toBe(process.execPath);
  expect(bin).toBe(runBundle()?.run ?? resolveCommand("baton version")[1]);
  expect(existsSync(bin!)).toBe(true);
  expect(rest).toEqual(["flow-run", "execute"]);
});
