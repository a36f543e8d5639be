/**
 * Runs over time by state as stacked bars: one column per bucket, one segment per state type
 * with runs, stacked in the order given. Pure: coordinates in a width x height box.
 */
export interface Bucket {
  start: string;
  counts: Record<string, number>;
}

export interface Segment {
  bucket: number;
  state: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StackedLayout {
  segments: Segment[];
  max: number;
  /** Each bucket's total, for labels and titles. */
  totals: number[];
}

export function stackedBars(buckets: Bucket[], order: string[], width: number, height: number, gap = 2): StackedLayout {
  const totals = buckets.map((b) => order.reduce((sum, state) => sum + (b.counts[state] ?? 0), 0));
  const max = Math.max(0, ...totals);
  const column = buckets.length > 0 ? width / buckets.length : 0;
  const segments: Segment[] = [];
  if (max === 0) return { segments, max, totals };
  buckets.forEach((bucket, i) => {
    let y = height;
    for (const state of order) {
      const count = bucket.counts[state] ?? 0;
      if (count === 0) continue;
      const h = (count / max) * height;
      y -= h;
      segments.push({ bucket: i, state, count, x: i * column + gap / 2, y, width: Math.max(1, column - gap), height: h });
    }
  });
  return { segments, max, totals };
}
