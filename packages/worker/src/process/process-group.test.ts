import { describe, expect, test } from "vitest";
import { Writable } from "node:stream";
import { ProcessGroup } from "./process-group.js";
import { LineDecoder } from "../output/output-lines.js";

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

describe("a run's output, split into lines", () => {
  const collect = () => {
    let text = "";
    const target = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString("utf8");
        callback();
      },
    });
    return { target, text: () => text };
  };

  test("a line written in pieces and a character split across reads come out whole, each stream on its own", async () => {
    const out = collect();
    const err = collect();
    // Pauses between writes make the pipe deliver each piece as its own chunk.
    const script = [
      "printf hel; sleep 0.3; printf 'lo\\n'",
      "printf '\\342' >&2; printf 'out-1\\n'; sleep 0.3; printf '\\202\\254 euro\\n' >&2",
      "printf 'caf\\303'; sleep 0.3; printf '\\251\\nno newline at the end'",
    ].join("; ");
    const p = new ProcessGroup({ command: ["sh", "-c", script], env: process.env, streamOutput: true, prefix: "[swift-otter] ", targets: { stdout: out.target, stderr: err.target } });
    const exit = await p.exited;
    expect(out.text()).toBe("[swift-otter] hello\n[swift-otter] out-1\n[swift-otter] café\n[swift-otter] no newline at the end\n");
    expect(err.text()).toBe("[swift-otter] € euro\n");
    expect(exit.tail).not.toContain("\uFFFD");
    expect(exit.tail.split("\n")).toEqual(expect.arrayContaining(["hello", "€ euro", "café", "no newline at the end"]));
  });
});

describe("LineDecoder", () => {
  test("holds partial lines and characters until they are whole, and flushes the rest at the end", () => {
    const lines: string[] = [];
    const decoder = new LineDecoder((line) => lines.push(line));
    const euro = Buffer.from("€");
    const emoji = Buffer.from("🦦");
    for (const chunk of [Buffer.from("hel"), Buffer.from("lo\r\nsecond "), euro.subarray(0, 1), euro.subarray(1), Buffer.from("\n"), emoji.subarray(0, 3), emoji.subarray(3), Buffer.from(" tail")]) decoder.write(chunk);
    expect(lines).toEqual(["hello", "second €"]);
    decoder.end();
    expect(lines).toEqual(["hello", "second €", "🦦 tail"]);
  });

  test("passes a line that never ends on in bounded pieces", () => {
    const lines: string[] = [];
    const decoder = new LineDecoder((line) => lines.push(line));
    decoder.write(Buffer.from("x".repeat(200 * 1024)));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => l.length <= 64 * 1024)).toBe(true);
  });
});
