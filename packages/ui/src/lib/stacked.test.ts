import { expect, test } from "vitest";
import { stackedBars } from "./stacked";

test("stacked bars: scaled to the busiest bucket, states stacked bottom-up in order, empty states skipped", () => {
  const layout = stackedBars(
    [
      { start: "a", counts: { COMPLETED: 3, FAILED: 1, RUNNING: 0 } },
      { start: "b", counts: { COMPLETED: 0, FAILED: 0 } },
      { start: "c", counts: { COMPLETED: 1, FAILED: 1 } },
    ],
    ["COMPLETED", "FAILED", "RUNNING"],
    300,
    100,
    0,
  );
  expect(layout.max).toBe(4);
  expect(layout.totals).toEqual([4, 0, 2]);
  expect(layout.segments).toEqual([
    { bucket: 0, state: "COMPLETED", count: 3, x: 0, y: 25, width: 100, height: 75 },
    { bucket: 0, state: "FAILED", count: 1, x: 0, y: 0, width: 100, height: 25 },
    { bucket: 2, state: "COMPLETED", count: 1, x: 200, y: 75, width: 100, height: 25 },
    { bucket: 2, state: "FAILED", count: 1, x: 200, y: 50, width: 100, height: 25 },
  ]);
  expect(stackedBars([], ["COMPLETED"], 100, 100).segments).toEqual([]);
});
