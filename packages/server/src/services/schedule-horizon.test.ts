import { describe, expect, it } from "vitest";
import type { ScheduleSpec } from "@baton/core";
import { extendHorizon, timesAhead } from "./schedule-horizon.js";

const spec = (s: Partial<ScheduleSpec>): ScheduleSpec => ({ timezone: "UTC", active: true, parameters: {}, ...s }) as ScheduleSpec;

/**
 * Drive a schedule the way the scheduler does (extend only when due) across `hours`, looking
 * every `stepSeconds`: at every look the runs made must hold everything timesAhead asks for at
 * that moment, and nothing timesAhead never asked for.
 */
function simulate(s: ScheduleSpec, start: Date, hours: number, stepSeconds: number, check: boolean | "at-fills" = true) {
  const made = new Set<number>();
  const wanted = new Set<number>();
  let through: Date | null = null;
  let due = start;
  let fills = 0;
  let lastFill = -1;
  for (let t = start.getTime(); t <= start.getTime() + hours * 3600_000; t += stepSeconds * 1000) {
    const now = new Date(t);
    if (now >= due) {
      const step = extendHorizon(s, now, through);
      for (const time of step.times) {
        expect(made.has(time.getTime()), `one run per time: ${time.toISOString()}`).toBe(false);
        made.add(time.getTime());
      }
      through = step.through;
      due = step.due;
      fills += 1;
      lastFill = t;
    }
    if (check === true || (check === "at-fills" && due.getTime() > now.getTime() && made.size > 0 && fills > 0 && lastFill === t)) for (const time of timesAhead(s, now)) {
      wanted.add(time.getTime());
      expect(made.has(time.getTime()), `${time.toISOString()} should exist at ${now.toISOString()}`).toBe(true);
    }
  }
  if (check) for (const time of made) expect(wanted.has(time), `${new Date(time).toISOString()} was never due`).toBe(true);
  return { made: made.size, fills };
}

describe("a schedule's horizon, extended from where it stopped", () => {
  const start = new Date("2026-03-28T22:00:30Z");

  it("keeps every-minute and hourly crons exactly as full as timesAhead", () => {
    simulate(spec({ cron: "* * * * *" }), start, 1.1, 120);
    simulate(spec({ cron: "0 * * * *" }), start, 8, 1800);
  });

  it("keeps daily crons in time zones, across a Paris DST change, as full as timesAhead", () => {
    // Across the change, checked where the scheduler looks: croner skips the 02:30 of the gap
    // day when asked from inside the gap, so between looks "3 ahead" may briefly be 2.
    simulate(spec({ cron: "30 2 * * *", timezone: "Europe/Paris" }), start, 36, 600, "at-fills");
    simulate(spec({ cron: "*/7 1-3 * * *", timezone: "Europe/Paris" }), start, 30, 600, "at-fills");
    simulate(spec({ cron: "30 2 * * *", timezone: "America/New_York" }), new Date("2026-04-10T00:00:00Z"), 30, 3600);
  });

  it("keeps intervals, one faster than 100 runs an hour (the 100-run cap), as full as timesAhead", () => {
    simulate(spec({ interval: 60 }), start, 2, 90);
    simulate(spec({ interval: 10 }), start, 0.5, 7);
    simulate(spec({ interval: 86400 }), start, 96, 3600);
  });

  it("looks again only when something is due: an hourly cron is extended about once an hour, not at every look", () => {
    const { fills } = simulate(spec({ cron: "0 * * * *" }), start, 10, 1, false);
    expect(fills).toBeLessThanOrEqual(12);
    expect(simulate(spec({ cron: "0 0 * * *" }), start, 48, 60, false).fills).toBeLessThanOrEqual(50);
    const minutely = simulate(spec({ cron: "* * * * *" }), start, 1, 1, false);
    expect(minutely.fills).toBeLessThanOrEqual(62);
  });

  it("starts from now when the horizon is in the past, and parks a schedule with nothing within 100 days for a day", () => {
    const s = spec({ cron: "0 0 1 1 *" });
    const step = extendHorizon(s, start, new Date("2020-01-01T00:00:00Z"));
    expect(step.times).toEqual([]);
    expect(step.due.getTime()).toBe(start.getTime() + 86_400_000);
    const resumed = extendHorizon(spec({ interval: 3600 }), start, new Date("2026-03-01T00:00:00Z"));
    expect(resumed.times).toEqual(timesAhead(spec({ interval: 3600 }), start));
  });
});
