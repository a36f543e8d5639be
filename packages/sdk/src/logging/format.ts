const NAMES: Record<number, string> = { 10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL" };
const COLORS: Record<number, string> = { 10: "\x1b[2m", 20: "\x1b[36m", 30: "\x1b[33m", 40: "\x1b[31m", 50: "\x1b[1;31m" };
const RESET = "\x1b[0m";

export function levelName(level: number): string {
  return NAMES[level] ?? `LEVEL${level}`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** `14:03:07.123 | INFO    | Task run 'load-0' - Loaded item: ALPHA` (local time, as a person reads it). */
export function formatTerminalLine(date: Date, level: number, who: string | undefined, message: string, color: boolean): string {
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${pad3(date.getMilliseconds())}`;
  const name = levelName(level).padEnd(7);
  const label = color ? `${COLORS[level] ?? ""}${name}${RESET}` : name;
  return `${time} | ${label} | ${who ? `${who} - ` : ""}${message}\n`;
}
