import type Docker from "dockerode";
import { describe, expect, test } from "vitest";
import { followContainer } from "./follow-container.js";

// Docker sets OOMKilled from an event of its own that can come after the exit `wait` reports
// (a loaded CI machine showed exit 137 with OOMKilled false). The real engine's OOM kill is
// tested in test/e2e/worker-docker-restart.test.ts; the order of Docker's two events cannot be
// forced there, so here a container stands in whose state shows the flag only on a later look.
function exitedContainer(statusCode: number, states: { OOMKilled: boolean }[]) {
  const looks: number[] = [];
  const container = {
    wait: async () => ({ StatusCode: statusCode }),
    inspect: async () => {
      looks.push(Date.now());
      return { State: states[Math.min(looks.length - 1, states.length - 1)] };
    },
    remove: async () => undefined,
    stop: async () => undefined,
  } as unknown as Docker.Container;
  return { container, looks };
}

const output = { done: Promise.resolve(), tail: { text: () => "Killed" } } as unknown as Parameters<typeof followContainer>[1];

describe("a followed container's end", () => {
  test("SIGKILLed under a memory limit: an OOMKilled flag that shows a moment after the exit still makes it an OOM kill (lost, with why)", async () => {
    const { container, looks } = exitedContainer(137, [{ OOMKilled: false }, { OOMKilled: false }, { OOMKilled: true }]);
    const exit = await followContainer(container, output, { autoRemove: true, memoryLimit: "16m" }).exited;
    expect(exit.lost).toBe(true);
    expect(exit.tail).toMatch(/OOMKilled of its 16m memory limit/);
    expect(looks).toHaveLength(3);
  });

  test("SIGKILLed under a memory limit without the flag ever showing: not an OOM kill, after looking for a second at most", async () => {
    const { container, looks } = exitedContainer(137, [{ OOMKilled: false }]);
    const started = Date.now();
    const exit = await followContainer(container, output, { autoRemove: true, memoryLimit: "16m" }).exited;
    expect(exit.lost).toBe(false);
    expect(exit.tail).toBe("Killed");
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(looks.length).toBeGreaterThan(5);
  });

  test("any other exit, or no memory limit, is read from one look", async () => {
    for (const [code, memoryLimit] of [[1, "16m"], [0, "16m"], [137, undefined]] as const) {
      const { container, looks } = exitedContainer(code, [{ OOMKilled: false }, { OOMKilled: true }]);
      const exit = await followContainer(container, output, { autoRemove: true, memoryLimit }).exited;
      expect(exit.lost, `exit ${code}, limit ${memoryLimit}`).toBe(false);
      expect(looks, `exit ${code}, limit ${memoryLimit}`).toHaveLength(1);
    }
  });
});
