import { describe, expect, test } from "vitest";
import { ganttLayout } from "./gantt";
import { taskGraphLayout } from "./task-graph";

const base = { state_type: "COMPLETED", state_name: "Completed", run_count: 1, expected_start_time: null, created: "2026-11-30T12:00:00.000Z" };

describe("Gantt layout of task runs", () => {
  test("bars in start order, scaled to the span; a running bar ends now; a pending one is a mark", () => {
    const now = Date.parse("2026-11-30T12:00:10.000Z");
    const layout = ganttLayout(
      [
        { ...base, id: "b", name: "load-0", start_time: "2026-11-30T12:00:05.000Z", end_time: null, state_type: "RUNNING", state_name: "Running" },
        { ...base, id: "a", name: "extract-0", start_time: "2026-11-30T12:00:00.000Z", end_time: "2026-11-30T12:00:05.000Z" },
        { ...base, id: "c", name: "later-0", start_time: null, end_time: null, expected_start_time: "2026-11-30T12:00:08.000Z", state_type: "PENDING", state_name: "Pending" },
      ],
      now,
    );
    expect(layout.bars.map((b) => [b.id, b.row, b.x, b.width])).toEqual([
      ["a", 0, 0, 0.5],
      ["b", 1, 0.5, 0.5],
      ["c", 2, 0.8, 0],
    ]);
    expect(layout.bars[1]).toMatchObject({ open: true, durationMs: 5000 });
    expect(layout.bars[2]).toMatchObject({ pending: true, durationMs: null });
    expect(layout.ticks.map((tick) => tick.offsetMs)).toEqual([0, 2000, 4000, 6000, 8000, 10000]);
  });

  test("no task runs, no bars", () => {
    expect(ganttLayout([], 0).bars).toEqual([]);
  });
});

describe("task dependency graph", () => {
  test("edges from task_inputs, layers by longest path, foreign and self inputs ignored", () => {
    const task = (id: string, inputs: Record<string, { input_type: string; id: string }[]> = {}) => ({ id, name: `${id}-0`, state_type: "COMPLETED", task_inputs: inputs });
    const layout = taskGraphLayout([
      task("extract"),
      task("config"),
      task("transform", { items: [{ input_type: "task_run", id: "extract" }], upper: [{ input_type: "parameter", id: "uppercase" }] }),
      task("load", { items: [{ input_type: "task_run", id: "transform" }, { input_type: "task_run", id: "transform" }], cfg: [{ input_type: "task_run", id: "config" }] }),
      task("orphan", { x: [{ input_type: "task_run", id: "elsewhere" }, { input_type: "task_run", id: "orphan" }] }),
    ]);
    expect(layout.edges).toEqual([
      { from: "extract", to: "transform", argument: "items" },
      { from: "transform", to: "load", argument: "items" },
      { from: "config", to: "load", argument: "cfg" },
    ]);
    expect(layout.nodes.map((n) => [n.id, n.layer, n.index])).toEqual([
      ["extract", 0, 0],
      ["config", 0, 1],
      ["transform", 1, 0],
      ["load", 2, 0],
      ["orphan", 0, 2],
    ]);
    expect(layout.layers).toBe(3);
    expect(layout.height).toBe(3);
  });
});
