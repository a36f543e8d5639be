/** Log lines: level names, filtering, merging live lines, and the downloadable text. */
export interface LogLine {
  id: string;
  level: number;
  name: string;
  message: string;
  timestamp: string;
  task_run_id: string | null;
}

export const LEVELS = [
  { value: 0, label: "All" },
  { value: 10, label: "Debug and up" },
  { value: 20, label: "Info and up" },
  { value: 30, label: "Warning and up" },
  { value: 40, label: "Error and up" },
];

export function levelName(level: number): string {
  if (level >= 50) return "CRITICAL";
  if (level >= 40) return "ERROR";
  if (level >= 30) return "WARNING";
  if (level >= 20) return "INFO";
  if (level >= 10) return "DEBUG";
  return `LEVEL ${level}`;
}

/** Adds lines not seen before (live lines may repeat what a fetch already got), in time order. */
export function mergeLogs(current: LogLine[], incoming: LogLine[]): LogLine[] {
  const seen = new Set(current.map((l) => l.id));
  const fresh = incoming.filter((l) => !seen.has(l.id) && (seen.add(l.id), true));
  if (fresh.length === 0) return current;
  const merged = current.concat(fresh);
  const last = current[current.length - 1];
  // Usually the new lines are later than all before them: skip the sort.
  if (last && fresh.some((l) => l.timestamp < last.timestamp)) merged.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  return merged;
}

export function filterLogs(lines: LogLine[], minLevel: number, search: string): LogLine[] {
  const needle = search.trim().toLowerCase();
  return lines.filter((l) => l.level >= minLevel && (!needle || l.message.toLowerCase().includes(needle) || l.name.toLowerCase().includes(needle)));
}

export function logsAsText(lines: LogLine[]): string {
  return lines.map((l) => `${l.timestamp} ${levelName(l.level).padEnd(8)} ${l.name} | ${l.message}`).join("\n") + (lines.length ? "\n" : "");
}
