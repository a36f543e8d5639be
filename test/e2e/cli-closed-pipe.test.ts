import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BATON_BIN, cleanEnv } from "../helpers/cli.js";

/**
 * A reader that stops early (`| head`, `| true`) closes the pipe while Baton still writes. In a
 * real shell pipeline whose reader exits at once, Baton's first write meets a closed pipe.
 */
describe("baton writing to a pipe its reader closed", () => {
  it.each([
    ["help", "deployment --help"],
    ["a usage error on stderr too", "deployment --no-such-flag"],
  ])("ends quietly (%s)", (_label, args) => {
    // stderr goes to a pipe closed at once as well in the second case: nothing may crash on either.
    const script = `node '${BATON_BIN}' ${args} 2> >(exec true) | true; echo "baton=\${PIPESTATUS[0]}"`;
    const run = spawnSync("bash", ["-c", `${script}; sleep 0.2`], { encoding: "utf8", env: cleanEnv() });
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled|Error:/);
    const status = Number(/baton=(\d+)/.exec(run.stdout)?.[1]);
    // Help: 0. A usage error is exit 2 when its message could be written, 0 when the reader went away first.
    expect([0, 2]).toContain(status);
    if (args.endsWith("--help")) expect(status).toBe(0);
  });
});
