/**
 * Task runs on a time axis: one row per task run in start order, a bar from start to end (or
 * to now while running; a tick at the expected start when it never ran). Pure layout: the
 * component only draws what this returns.
 */
export interface GanttInput {
  id: string;
  name: string;
  state_type: string;
  state_name: string;
  run_count: number;
  start_time: string | null;
  end_time: string | null;
  expected_start_time: string | null;
  created: string;
}

export interface GanttBar {
  id: string;
  name: string;
  state_type: string;
  state_name: string;
  run_count: number;
  row: number;
  /** Fractions of the chart's width, 0..1. */
  x: number;
  width: number;
  startMs: number;
  durationMs: number | null;
  /** Still running: the bar ends at `now`. */
  open: boolean;
  /** Never started: only a mark where it was expected. */
  pending: boolean;
}

export interface GanttLayout {
  bars: GanttBar[];
  startMs: number;
  endMs: number;
  /** Axis ticks: fractions with their offset from the start in ms. */
  ticks: { x: number; offsetMs: number }[];
}

const t = (iso: string | null): number | null => {
  if (!iso) return null;
  const v = Date.parse(iso);
  return Number.isNaN(v) ? null : v;
};

const NICE_STEPS = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

export function ganttLayout(tasks: GanttInput[], now: number, maxTicks = 6): GanttLayout {
  const items = tasks.map((task) => {
    const start = t(task.start_time);
    const end = t(task.end_time);
    const anchor = start ?? t(task.expected_start_time) ?? t(task.created) ?? now;
    return { task, start, end, anchor };
  });
  items.sort((a, b) => a.anchor - b.anchor || a.task.name.localeCompare(b.task.name));
  if (items.length === 0) return { bars: [], startMs: now, endMs: now, ticks: [] };
  const startMs = Math.min(...items.map((i) => i.anchor));
  const endMs = Math.max(startMs + 1, ...items.map((i) => (i.start !== null ? (i.end ?? now) : i.anchor)));
  const span = endMs - startMs;
  const bars = items.map(({ task, start, end, anchor }, row): GanttBar => {
    const barStart = start ?? anchor;
    const barEnd = start === null ? barStart : (end ?? now);
    return {
      id: task.id,
      name: task.name,
      state_type: task.state_type,
      state_name: task.state_name,
      run_count: task.run_count,
      row,
      x: (barStart - startMs) / span,
      width: Math.max(0, (barEnd - barStart) / span),
      startMs: barStart,
      durationMs: start === null ? null : barEnd - barStart,
      open: start !== null && end === null,
      pending: start === null,
    };
  });
  const step = NICE_STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks);
  const ticks = [];
  for (let offset = 0; offset <= span; offset += step) ticks.push({ x: offset / span, offsetMs: offset });
  return { bars, startMs, endMs, ticks };
}
