// Micro-benchmark: the CPU the scheduler spends per schedule, before any database work, when it
// fills a schedule from scratch (a new or resumed deployment) and when it extends one that came
// due (the steady state), against timesAhead() which every pass paid for every schedule before.
// node bench/scale/horizon.mjs [schedules=200]
import { importCheckout } from "./lib.mjs";

const { timesAhead, extendHorizon } = await importCheckout("packages/server/dist/services/schedule-horizon.js");
const core = await importCheckout("packages/core/dist/index.js");
const N = Number(process.argv[2] ?? 200);
const ms = (f) => {
  const t = performance.now();
  for (let i = 0; i < N; i++) f();
  return ((performance.now() - t) / N).toFixed(2);
};
for (const [label, raw] of [["* * * * *", { cron: "* * * * *" }], ["0 * * * *", { cron: "0 * * * *" }], ["* * * * * Paris", { cron: "* * * * *", timezone: "Europe/Paris" }], ["interval 60", { interval: 60 }]]) {
  const spec = core.ScheduleSpecSchema.parse(raw);
  const now = new Date();
  const first = extendHorizon(spec, now, null);
  const later = new Date(first.due.getTime() + 1);
  console.log(`${label}: timesAhead ${ms(() => timesAhead(spec, now))} ms; first fill ${ms(() => extendHorizon(spec, now, null))} ms (${first.times.length} times); ` +
    `when due ${ms(() => extendHorizon(spec, later, first.through))} ms (${extendHorizon(spec, later, first.through).times.length} new), next due in ${Math.round((first.due - now) / 1000)} s`);
}
