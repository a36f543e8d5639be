const HOUR = 3600;

/** How a stats window is read: whole hours from the hourly counts, the rest from the runs themselves. */
export interface WindowPlan {
  /**
   * Hours [fromHour, toHour) may be read from the counts: those whose seconds all fall in one
   * bucket (clean), a rule bucketCounts applies in SQL.
   */
  fromHour: number;
  toHour: number;
  /** [start, end) in epoch seconds not covered by clean hours: read from flow_runs. */
  raw: [number, number][];
}

/**
 * Split [since, until) into clean hours and the rest. Buckets of whole hours starting on the
 * hour (the dashboard's) leave only the current, unfinished hour to the runs; any other shape
 * leaves the hours a bucket boundary cuts, and all of it when buckets are shorter than an hour.
 */
export function planWindow(sinceSeconds: number, untilSeconds: number, width: number): WindowPlan {
  const fromHour = Math.ceil(sinceSeconds / HOUR);
  const toHour = Math.floor(untilSeconds / HOUR);
  const bucketOf = (second: number) => Math.floor((second - sinceSeconds) / width);
  const clean = (hour: number) => hour >= fromHour && hour < toHour && bucketOf(hour * HOUR) === bucketOf(hour * HOUR + HOUR - 1);
  const raw: [number, number][] = [];
  let cursor = sinceSeconds;
  if (width >= HOUR) {
    for (let hour = fromHour; hour < toHour; hour++) {
      if (!clean(hour)) continue;
      if (hour * HOUR > cursor) raw.push([cursor, hour * HOUR]);
      cursor = hour * HOUR + HOUR;
    }
  }
  if (cursor < untilSeconds) raw.push([cursor, untilSeconds]);
  return { fromHour, toHour, raw };
}
