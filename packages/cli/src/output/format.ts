import type { StateType } from "@baton/core";
import { LOG_LEVELS } from "@baton/core/runtime";
import type { Colors } from "./colors.js";

/** 850ms, 12.3s, 4m 05s, 2h 01m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** Duration between two timestamps; a run still going is measured up to now. */
export function runDuration(start: string | null, end: string | null, now: number = Date.now()): string {
  if (!start) return "-";
  return formatDuration((end ? Date.parse(end) : now) - Date.parse(start));
}

/** `2026-11-27 12:33:57` in UTC, the way tables show time; logs keep the milliseconds. */
export function formatTime(iso: string | null, options: { milliseconds?: boolean } = {}): string {
  if (!iso) return "-";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString().replace("T", " ").replace("Z", "");
  return options.milliseconds ? text : text.slice(0, 19);
}

export function colorState(type: StateType, name: string, colors: Colors): string {
  switch (type) {
    case "COMPLETED":
      return colors.green(name);
    case "FAILED":
    case "CRASHED":
      return colors.red(name);
    case "RUNNING":
      return colors.blue(name);
    case "CANCELLING":
    case "CANCELLED":
    case "PAUSED":
      return colors.yellow(name);
    default:
      return colors.cyan(name);
  }
}

const LEVEL_NAMES = Object.entries(LOG_LEVELS).sort((a, b) => b[1] - a[1]);

/** 20 -> INFO; a custom level between two known ones takes the lower one's name. */
export function levelName(level: number): string {
  const match = LEVEL_NAMES.find(([, value]) => level >= value);
  return (match?.[0] ?? "debug").toUpperCase();
}
