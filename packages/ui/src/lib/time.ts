/** Time as people read it: local time zone on screen, UTC on hover, short durations. */

const pad = (n: number) => String(n).padStart(2, "0");

const ZONE_KEY = "baton-time-zone";
function storedZone(): "UTC" | undefined {
  try {
    return globalThis.localStorage?.getItem(ZONE_KEY) === "UTC" ? "UTC" : undefined;
  } catch {
    return undefined;
  }
}
/** The one zone every time on screen is shown in: the viewer's own (undefined) unless they chose UTC. */
let displayZone: "UTC" | undefined = storedZone();

export function displayTimeZone(): "local" | "UTC" {
  return displayZone ?? "local";
}

/** Switch the whole UI between local time and UTC (kept in localStorage); the caller re-renders. */
export function setDisplayTimeZone(zone: "local" | "UTC"): void {
  displayZone = zone === "UTC" ? "UTC" : undefined;
  localStorage.setItem(ZONE_KEY, zone);
}

/** `2026-11-30 14:05:09` in the display zone (or the given one, for tests). */
export function formatLocal(iso: string, timeZone: string | undefined = displayZone): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

/** The hover text: the instant in UTC, unambiguous. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "")} UTC`;
}

/** 0.4 s, 12 s, 3 m 05 s, 2 h 03 m, 3 d 4 h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${pad(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${pad(m % 60)} m`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}

/** `in 5 m 00 s` / `3 m 05 s ago` relative to now. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  if (Math.abs(diff) < 1000) return "now";
  return diff > 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}

/**
 * `<input type="datetime-local">` speaks wall time without a zone; the API speaks ISO UTC. The
 * wall time is read in the display zone, as every time on screen is shown (UTC when chosen).
 */
export function localInputToIso(value: string, timeZone: string | undefined = displayZone): string | undefined {
  if (!value) return undefined;
  const date = new Date(timeZone === "UTC" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The datetime-local text of an instant in the display zone; seconds only when it has some. */
export function isoToLocalInput(iso: string | null | undefined, timeZone: string | undefined = displayZone): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const utc = timeZone === "UTC";
  const seconds = utc ? d.getUTCSeconds() : d.getSeconds();
  const minute = utc ? d.toISOString().slice(0, 16) : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${minute}:${pad(seconds)}` : minute;
}

/** A datetime-local wall time typed in zone `from`, as the same instant's wall time in `to` (text that is not one stays). */
export function rezoneLocalInput(text: string, from: string | undefined, to: string | undefined): string {
  // Named "local", not left undefined: undefined would mean the display zone, already switched.
  const iso = localInputToIso(text, from ?? "local");
  return iso ? isoToLocalInput(iso, to ?? "local") : text;
}

const ISO_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * A message from the server with its ISO timestamps shown as every other time on the page
 * ("scheduled for 2026-12-07T08:00:00.000Z" reads "scheduled for 2026-12-07 09:00:00" in Paris).
 */
export function localizeTimes(text: string, timeZone: string | undefined = displayZone): string {
  return text.replace(ISO_IN_TEXT, (iso) => `${formatLocal(iso, timeZone)}${(timeZone ?? "local") === "UTC" ? " UTC" : ""}`);
}
