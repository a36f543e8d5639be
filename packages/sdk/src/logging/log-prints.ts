import { format } from "node:util";
import { LOG_LEVELS } from "@baton/core/runtime";
import { currentFrame } from "../context/run-context.js";
import { emit } from "./run-logger.js";

type ConsoleMethod = "log" | "info" | "debug" | "warn" | "error";

const LEVELS: Record<ConsoleMethod, number> = {
  log: LOG_LEVELS.info,
  info: LOG_LEVELS.info,
  debug: LOG_LEVELS.info,
  warn: LOG_LEVELS.warning,
  error: LOG_LEVELS.error,
};

/** One patch per process, even with two copies of this package loaded (the worker's command and the flow file's). */
const KEY = Symbol.for("baton.logPrints");
const holder = globalThis as unknown as Record<symbol, boolean | undefined>;

/**
 * From now on, console.log/info/debug (INFO), console.warn (WARNING) and console.error (ERROR)
 * called inside a flow or task run whose `logPrints` is on become lines of that run's log
 * (printed on stderr as run log lines are, masked, and sent to the server) instead of plain
 * output; Prefect's `log_prints`. Anywhere else (no run, or logPrints off) the console prints as
 * it always did. Installed by the engine the first time a run has logPrints on.
 */
export function capturePrints(): void {
  if (holder[KEY]) return;
  holder[KEY] = true;
  for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const frame = currentFrame();
      if (!frame?.logPrints) return original(...args);
      emit(frame, LEVELS[method], format(...args), "baton.print");
    };
  }
}
