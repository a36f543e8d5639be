export * from "./schema.js";
export * from "./next-runs.js";
export { CronSyntaxError } from "./cron/index.js";
export { RRULE_DEFAULT_ANCHOR, RRuleSyntaxError } from "./rrule.js";
export { TIME_OF_DAY, lastDailyDeadline } from "./daily-deadline.js";
