import { describe, expect, it } from "vitest";
import { nextBatchSize } from "./batch-size.js";

const bounds = { min: 50, max: 2_000, targetMs: 30 };

describe("nextBatchSize", () => {
  it("grows a batch that was quick, at most doubling it", () => {
    expect(nextBatchSize(250, 250, 10, bounds)).toBe(500);
    expect(nextBatchSize(250, 250, 20, bounds)).toBe(375);
  });

  it("shrinks a batch that held the lock too long, at most halving it", () => {
    expect(nextBatchSize(400, 400, 60, bounds)).toBe(200);
    expect(nextBatchSize(400, 400, 1_000, bounds)).toBe(200);
  });

  it("judges by the rows the batch really wrote, not the size asked for", () => {
    // A batch whose schedules were taken back wrote 100 rows in 30 ms: the rate says 100.
    expect(nextBatchSize(400, 100, 30, bounds)).toBe(200);
  });

  it("stays within its bounds and keeps the size when nothing was written", () => {
    expect(nextBatchSize(1_800, 1_800, 1, bounds)).toBe(2_000);
    expect(nextBatchSize(60, 60, 500, bounds)).toBe(50);
    expect(nextBatchSize(300, 0, 5, bounds)).toBe(300);
  });
});
