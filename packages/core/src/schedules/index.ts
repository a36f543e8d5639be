export * from "./schema.js";
export * from "./next-runs.js";
export { CronSyntaxError } from "./cron/index.js";
export { RRULE_DEFAULT_ANCHOR, RRuleSyntaxError } from "./rrule.js";
