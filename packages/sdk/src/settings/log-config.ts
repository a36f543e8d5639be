import type { LogLevelName } from "@baton/core";
import { LOG_LEVELS } from "@baton/core/runtime";
import type { Settings } from "./index.js";

export interface LogConfig {
  /** Lowest numeric level printed and sent. */
  minLevel: number;
  toApi: boolean;
  /** BATON_LOGGING_LOG_PRINTS: console output inside a run goes to its logs unless a flow or task says otherwise. */
  logPrints: boolean;
  color: boolean;
}

const LEVEL_BY_SETTING: Record<string, number> = {
  DEBUG: LOG_LEVELS.debug,
  INFO: LOG_LEVELS.info,
  WARNING: LOG_LEVELS.warning,
  ERROR: LOG_LEVELS.error,
  CRITICAL: LOG_LEVELS.critical,
};

/** Read once per flow run, so the per-line cost is a comparison, not a settings lookup. */
export function logConfigFrom(settings: Settings): LogConfig {
  const stream = process.stderr;
  return {
    minLevel: LEVEL_BY_SETTING[settings.get("BATON_LOGGING_LEVEL") ?? "INFO"] ?? LOG_LEVELS.info,
    toApi: settings.get("BATON_LOGGING_TO_API") ?? true,
    logPrints: settings.get("BATON_LOGGING_LOG_PRINTS") ?? false,
    // https://no-color.org: any non-empty NO_COLOR turns colour off; so does a non-terminal.
    color: !process.env.NO_COLOR && Boolean(stream.isTTY),
  };
}

export type { LogLevelName };
