import { describe, expect, test } from "vitest";
import { ProcessGroup } from "./process-group.js";

import { readFileSync } from "node:fs";

// A killed process whose new parent has not reaped it yet is a zombie: gone, but still answers kill(pid, 0).
const isAlive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
};

describe("ProcessGroup", () => {
  test("keeps the last lines of output and the exit code", async () => {
    const p = new ProcessGroup({ command: ["sh", "-c", "for i in $(seq 1 50); do echo line $i; done; echo oops >&2; exit 3"], env: process.env });
    const exit = await p.exited;
    expect(exit.exitCode).toBe(3);
    expect(exit.tail.split("\n").at(-1)).toBe("oops");
    expect(exit.tail).not.toContain("line 10\n");
  });

  test("terminate ends the whole group, children included, even one that ignores SIGTERM", async () => {
    const p = new ProcessGroup({
      command: ["sh", "-c", "trap '' TERM; sleep 300 & echo child $!; wait"],
      env: process.env,
    });
    const childPid = await new Promise<number>((resolve) => p.child.stdout!.on("data", (d: Buffer) => {
      const m = /child (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    }));
    expect(isAlive(childPid)).toBe(true);
    const exit = await p.terminate(0.3);
    expect(exit.signal).toBe("SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(childPid)).toBe(false);
  });
});
