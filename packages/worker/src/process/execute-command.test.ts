import { existsSync } from "node:fs";
import { expect, test } from "vitest";
import { splitCommand } from "../command/split-command.js";
import { resolveCommand } from "./execute-command.js";

test("a command line is split as a shell would, quotes and escapes included", () => {
  expect(splitCommand(`baton flow-run execute`)).toEqual(["baton", "flow-run", "execute"]);
  expect(splitCommand(`sh -c "echo 'a b'" x\\ y ''`)).toEqual(["sh", "-c", "echo 'a b'", "x y", ""]);
  expect(() => splitCommand(`echo "open`)).toThrow(/unclosed " quote/);
});

test("baton is this installation's CLI run by this Node, so runs start without baton on PATH", () => {
  const [node, bin, ...rest] = resolveCommand("baton flow-run execute");
  expect(node).toBe(process.execPath);
  expect(bin).toMatch(/cli\/bin\/baton\.js$/);
  expect(existsSync(bin!)).toBe(true);
  expect(rest).toEqual(["flow-run", "execute"]);
  expect(resolveCommand("python run.py")).toEqual(["python", "run.py"]);
});
