import { describe, expect, test } from "vitest";
import { ScheduleSpecSchema, nextRunTimes } from "../index.js";
import corpus from "./corpus.json" with { type: "json" };

interface Case {
  source: string;
  adapted?: string;
  cron?: string;
  rrule?: string;
  day_or?: boolean;
  timezone?: string;
  after?: string;
  limit?: number;
  expect?: string[];
  error?: string;
}

const cases = corpus.cases as Case[];
const label = (c: Case) => `${c.cron ?? c.rrule!.replace(/\n/g, " | ")}${c.timezone ? ` in ${c.timezone}` : ""} — ${c.source}`;
const YEAR = 365.25 * 86_400_000;

/** "+03:00" as Intl writes the zone's offset at an instant ("GMT+03:00", "GMT" for zero). */
function zoneOffset(timeZone: string, instant: Date): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(instant).find((p) => p.type === "timeZoneName")!.value;
  return name === "GMT" ? "+00:00" : name.slice(3);
}
/** The schedule a case describes, with only the keys it gives. */
const specInput = (c: Case) => Object.fromEntries(Object.entries({ cron: c.cron, rrule: c.rrule, timezone: c.timezone, day_or: c.day_or }).filter(([, v]) => v !== undefined));
const offsetOf = (text: string) => (text.endsWith("Z") ? "+00:00" : text.slice(-6));

describe("schedule conformance corpus", () => {
  test("covers what issue 12 asks: at least 70 cases, each with its source", () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
    for (const c of cases) expect(c.source.length).toBeGreaterThan(10);
  });

  test.each(cases.filter((c) => c.error === undefined).map((c) => [label(c), c] as const))("%s", (_name, c) => {
    const spec = ScheduleSpecSchema.parse(specInput(c));
    const after = new Date(c.after!);
    const times = nextRunTimes(spec, after, new Date(after.getTime() + 150 * YEAR), c.limit ?? c.expect!.length);
    expect(times.map((t) => t.toISOString())).toEqual(c.expect!.map((e) => new Date(e).toISOString()));
    // The corpus itself: each expected offset is the one the zone really has then.
    const zone = /TZID=([^:;]+)/.exec(c.rrule ?? "")?.[1] ?? c.timezone!;
    for (const e of c.expect!) if (!e.endsWith("Z")) expect(`${e} ${zoneOffset(zone, new Date(e))}`).toBe(`${e} ${offsetOf(e)}`);
  });

  test.each(cases.filter((c) => c.error !== undefined).map((c) => [label(c), c] as const))("refused: %s", (_name, c) => {
    const result = ScheduleSpecSchema.safeParse(specInput(c));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ").toLowerCase()).toContain(c.error!.toLowerCase());
  });
});
