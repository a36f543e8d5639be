import { ScheduleSpecSchema, nextRunTimes, type ScheduleSpecInput } from "@baton/core";
import type { DeploymentSchedule } from "../api/types";
import { describeSchedule } from "./schedules";

export type ScheduleKind = "cron" | "interval" | "rrule";
export type IntervalUnit = "minutes" | "hours" | "days";

/** The add-a-schedule form as typed: each kind keeps its own text, so switching kind loses nothing. */
export interface ScheduleDraft {
  kind: ScheduleKind;
  cron: string;
  every: string;
  unit: IntervalUnit;
  rrule: string;
  timezone: string;
  /** Kept from a schedule being edited, sent again while its kind stays (the form has no field for them). */
  anchor_date?: string;
  day_or?: boolean;
}

export const UNIT_SECONDS: Record<IntervalUnit, number> = { minutes: 60, hours: 3600, days: 86400 };

export function emptyDraft(timezone: string): ScheduleDraft {
  return { kind: "cron", cron: "0 9 * * 1-5", every: "1", unit: "hours", rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9", timezone };
}

/** The form filled with a schedule the server has, for editing it in place. */
export function draftOf(schedule: DeploymentSchedule["schedule"]): ScheduleDraft {
  const base = { ...emptyDraft(schedule.timezone), anchor_date: schedule.anchor_date, day_or: schedule.day_or };
  if (schedule.cron !== undefined) return { ...base, kind: "cron", cron: schedule.cron };
  if (schedule.rrule !== undefined) return { ...base, kind: "rrule", rrule: schedule.rrule };
  const seconds = schedule.interval ?? 3600;
  const unit: IntervalUnit = seconds % 86400 === 0 ? "days" : seconds % 3600 === 0 ? "hours" : "minutes";
  return { ...base, kind: "interval", every: String(seconds / UNIT_SECONDS[unit]), unit };
}

export interface ScheduleCheck {
  /** The body for POST /deployments/:id/schedules, when the draft has no problem. */
  spec?: ScheduleSpecInput;
  /** Problems by the form's field ("cron", "every", "rrule", "timezone"): core's messages, the server's own check. */
  problems: Partial<Record<"cron" | "every" | "rrule" | "timezone" | "kind", string>>;
  /** The schedule in words and its next runs, for a draft that is right. */
  words?: string;
  next: Date[];
}

/** The spec a draft stands for, before any check (an interval is whole seconds, as the API stores it). */
export function specOf(draft: ScheduleDraft): Record<string, unknown> {
  const timezone = draft.timezone.trim();
  if (draft.kind === "cron") return { cron: draft.cron.trim(), ...(draft.day_or !== undefined ? { day_or: draft.day_or } : {}), timezone };
  if (draft.kind === "rrule") return { rrule: draft.rrule.trim(), timezone };
  const every = Number(draft.every);
  return { interval: draft.every.trim() === "" || !Number.isFinite(every) ? Number.NaN : every * UNIT_SECONDS[draft.unit], ...(draft.anchor_date ? { anchor_date: draft.anchor_date } : {}), timezone };
}

/**
 * A schedule checked as it is typed, with core's schema (what the server runs on save): a cron
 * of the wrong shape, an rrule it cannot read or a time zone that is not IANA is named under its
 * field; a right one is put in words with its next three runs.
 */
export function checkScheduleDraft(draft: ScheduleDraft, now = new Date()): ScheduleCheck {
  const body = specOf(draft);
  if (draft.kind === "interval" && Number.isNaN(body.interval)) return { problems: { every: "How often: a number, such as 15 (minutes) or 1 (hour)" }, next: [] };
  const parsed = ScheduleSpecSchema.safeParse(body);
  if (!parsed.success) {
    const problems: ScheduleCheck["problems"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === "interval" ? "every" : issue.path[0];
      const field = key === "cron" || key === "rrule" || key === "timezone" || key === "every" ? key : "kind";
      problems[field] ??= issue.message;
    }
    return { problems, next: [] };
  }
  const spec = parsed.data;
  const next = nextRunTimes(spec, now, new Date(now.getTime() + 400 * 86_400_000), 3);
  return { spec: body as ScheduleSpecInput, problems: {}, words: describeSchedule({ ...spec, timezone: spec.timezone }), next };
}

/** The browser's IANA zones for suggestions; UTC first. */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return ["UTC", ...supported.filter((z) => z !== "UTC")];
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
