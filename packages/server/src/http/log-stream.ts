import { Writable } from "node:stream";

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

interface LogRecord {
  level: number;
  time: number;
  msg?: string;
  reqId?: string;
  err?: { type?: string; message?: string; stack?: string };
}

/** One pino JSON record as a line a person reads: `2026-01-31T12:00:00.000Z INFO  message`. */
export function formatLogRecord(json: string): string {
  let record: LogRecord;
  try {
    record = JSON.parse(json) as LogRecord;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const level = (LEVELS[record.level] ?? String(record.level)).padEnd(5);
  const request = record.reqId ? ` (request ${record.reqId})` : "";
  const error = record.err?.stack ? `\n${record.err.stack}` : record.err?.message ? `: ${record.err.message}` : "";
  return `${new Date(record.time).toISOString()} ${level} ${record.msg ?? ""}${request}${error}\n`;
}

/**
 * Where the server's log goes in text form (the default): a terminal running
 * `baton server start` shows lines, not JSON. Deployments that ship logs as JSON choose "json".
 */
export function textLogStream(out: NodeJS.WritableStream = process.stdout): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      out.write(formatLogRecord(chunk.toString().trimEnd()));
      done();
    },
  });
}
