import { describe, expect, it } from "vitest";
import { createWriteTurns, serverTurn, threadTurn } from "./write-turns.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("write turns between the server's connection and the scheduler thread's", () => {
  it("a server write waits for the thread's batch without stopping the event loop, then runs", async () => {
    const turns = createWriteTurns();
    let endBatch!: () => void;
    const batch = threadTurn(turns, () => new Promise<void>((resolve) => (endBatch = resolve)));
    let wrote = false;
    const write = serverTurn(turns, async () => {
      wrote = true;
    });
    let ticks = 0;
    for (let i = 0; i < 3; i++) {
      await tick();
      ticks++;
    }
    expect(ticks).toBe(3); // timers ran while the write waited
    expect(wrote).toBe(false);
    endBatch();
    await Promise.all([batch, write]);
    expect(wrote).toBe(true);
  });

  it("the thread starts no batch while the server writes, but takes its turn once it has waited long enough", async () => {
    const turns = createWriteTurns();
    let endWrite!: () => void;
    const write = serverTurn(turns, () => new Promise<void>((resolve) => (endWrite = resolve)));
    // Blocks this thread for the bounded yield, then runs: a server that never stops writing does not starve the scheduler.
    let ran = false;
    await threadTurn(turns, async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    endWrite();
    await write;
  });

  it("turns are released when a write fails", async () => {
    const turns = createWriteTurns();
    await expect(threadTurn(turns, async () => Promise.reject(new Error("batch failed")))).rejects.toThrow("batch failed");
    await expect(serverTurn(turns, async () => Promise.reject(new Error("write failed")))).rejects.toThrow("write failed");
    expect(Array.from(new Int32Array(turns))).toEqual([0, 0]);
  });
});
