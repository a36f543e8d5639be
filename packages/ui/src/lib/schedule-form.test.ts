import { expect, test } from "vitest";
import { checkScheduleDraft, emptyDraft } from "./schedule-form";

const now = new Date("2026-12-07T07:00:00Z"); // a Monday

test("a weekday cron in Paris is put in words with its next runs in that zone", () => {
  const check = checkScheduleDraft({ ...emptyDraft("Europe/Paris"), cron: "0 9 * * 1-5" }, now);
  expect(check.problems).toEqual({});
  expect(check.words).toBe("weekdays at 09:00 (Europe/Paris)");
  expect(check.next.map((d) => d.toISOString())).toEqual(["2026-12-07T08:00:00.000Z", "2026-12-08T08:00:00.000Z", "2026-12-09T08:00:00.000Z"]);
  expect(check.spec).toEqual({ cron: "0 9 * * 1-5", timezone: "Europe/Paris" });
});

test("an interval goes to the API in seconds", () => {
  const check = checkScheduleDraft({ ...emptyDraft("UTC"), kind: "interval", every: "90", unit: "minutes" }, now);
  expect(check.spec).toEqual({ interval: 5400, timezone: "UTC" });
  expect(check.words).toBe("every 1 h 30 m (UTC)");
});

test("each problem is named under its field, with core's message", () => {
  expect(checkScheduleDraft({ ...emptyDraft("UTC"), cron: "0 9 * *" }, now).problems.cron).toContain("not a valid cron expression");
  expect(checkScheduleDraft({ ...emptyDraft("Mars/Olympus") }, now).problems.timezone).toContain("not an IANA time zone");
  expect(checkScheduleDraft({ ...emptyDraft("UTC"), kind: "rrule", rrule: "FREQ=SOMETIMES" }, now).problems.rrule).toContain("not a valid RFC 5545 rule");
  expect(checkScheduleDraft({ ...emptyDraft("UTC"), kind: "interval", every: "" }, now).problems.every).toContain("a number");
  expect(checkScheduleDraft({ ...emptyDraft("UTC"), kind: "interval", every: "0.5", unit: "minutes" }, now).spec).toEqual({ interval: 30, timezone: "UTC" });
  expect(checkScheduleDraft({ ...emptyDraft("UTC"), kind: "interval", every: "-1" }, now).problems.every).toBeDefined();
});
