export { getRunLogger, RunLogger, emit } from "./run-logger.js";
export { formatTerminalLine } from "./format.js";
export { logConfigFrom, type LogConfig } from "../settings/log-config.js";
export { logMasker } from "./masking.js";
