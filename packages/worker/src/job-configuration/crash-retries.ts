/** `crash_retries` of a rendered job configuration (0 when absent or not a whole number). */
export function crashRetriesOf(jobConfiguration: Record<string, unknown>): number {
  const n = jobConfiguration.crash_retries;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : 0;
}
