import { format } from "node:util";
import { LOG_LEVELS } from "@baton/core/runtime";
import { currentFrame, type RunFrame } from "../context/run-context.js";
import { loadSettings } from "../settings/index.js";
import { formatTerminalLine } from "./format.js";
import { logConfigFrom, type LogConfig } from "../settings/log-config.js";
import { logMasker } from "./masking.js";

export type LogArgs = [message: unknown, ...rest: unknown[]];

function render([message, ...rest]: LogArgs): string {
  if (rest.length > 0) return format(message, ...rest);
  if (typeof message === "string") return message;
  if (message instanceof Error) return message.stack ?? String(message);
  return format(message);
}

let outsideConfig: LogConfig | undefined;

/**
 * Writes one line to the terminal and, inside a run, queues it for the server in the next
 * report. `name` is the logger name kept with each line ("baton.flow_runs" for engine events).
 */
export function emit(frame: RunFrame | undefined, level: number, message: string, name = "baton"): void {
  const config = frame ? (frame.kind === "task" ? frame.flow.log : frame.log) : (outsideConfig ??= logConfigFrom(loadSettings()));
  if (level < config.minLevel) return;
  message = logMasker.mask(message);
  const now = new Date();
  const who = frame ? (frame.kind === "task" ? `Task run '${frame.name}'` : `Flow run '${frame.name}'`) : undefined;
  process.stderr.write(formatTerminalLine(now, level, who, message, config.color));
  if (!frame || !config.toApi) return;
  const flow = frame.kind === "task" ? frame.flow : frame;
  flow.reporter.addLog({
    flow_run_id: flow.id,
    task_run_id: frame.kind === "task" ? frame.id : null,
    name,
    level,
    message,
    timestamp: now.toISOString(),
  });
}

/** A logger bound to one run (or to none: terminal only). */
export class RunLogger {
  constructor(
    private readonly frame: RunFrame | undefined,
    private readonly name = "baton",
  ) {}
  log(level: number, ...args: LogArgs): void {
    emit(this.frame, level, render(args), this.name);
  }
  debug(...args: LogArgs): void {
    this.log(LOG_LEVELS.debug, ...args);
  }
  info(...args: LogArgs): void {
    this.log(LOG_LEVELS.info, ...args);
  }
  warning(...args: LogArgs): void {
    this.log(LOG_LEVELS.warning, ...args);
  }
  warn(...args: LogArgs): void {
    this.log(LOG_LEVELS.warning, ...args);
  }
  error(...args: LogArgs): void {
    this.log(LOG_LEVELS.error, ...args);
  }
  critical(...args: LogArgs): void {
    this.log(LOG_LEVELS.critical, ...args);
  }
}

/**
 * The logger of the run the calling code belongs to: its lines are printed and recorded
 * with the flow run (and task run). Outside any run it prints only.
 */
export function getRunLogger(name = "baton"): RunLogger {
  return new RunLogger(currentFrame(), name);
}

/** For tests that change BATON_LOGGING_LEVEL between runs outside a flow. */
export function resetOutsideLogConfig(): void {
  outsideConfig = undefined;
}
