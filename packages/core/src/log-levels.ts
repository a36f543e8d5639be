/** Python's numeric levels, so log levels mean the same to everybody coming from Prefect. */
export const LOG_LEVELS = { debug: 10, info: 20, warning: 30, error: 40, critical: 50 } as const;
export type LogLevelName = keyof typeof LOG_LEVELS;
