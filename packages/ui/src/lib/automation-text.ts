import type { Automation, AutomationFiring, NotificationRule, NotificationTargetView, RunMatch } from "@baton/core";

/**
 * Automations and notification rules in words, for people who did not write their JSON:
 * "a run of flow etl enters Failed or Crashed", "run deployment etl/cleanup".
 */

const STATE_WORDS: Record<string, string> = {
  FAILED: "Failed",
  CRASHED: "Crashed",
  LATE: "Late",
  CANCELLED: "Cancelled",
  COMPLETED: "Completed",
  SCHEDULED: "Scheduled",
  PENDING: "Pending",
  RUNNING: "Running",
  PAUSED: "Paused",
  CANCELLING: "Cancelling",
};

/** "a or b or c". */
function either(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

/** 7200 -> "2 hours", 90 -> "90 seconds". */
export function duration(seconds: number): string {
  const units: [number, string][] = [[86_400, "day"], [3600, "hour"], [60, "minute"]];
  for (const [size, unit] of units) if (seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? "" : "s"}`;
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function statesText(states: readonly string[]): string {
  return either(states.map((s) => STATE_WORDS[s] ?? s));
}

/** Which runs: "any run", or "a run of flow etl, tagged nightly, in pool k8s". */
export function matchText(match: Partial<RunMatch> | undefined): string {
  const parts = [
    match?.flows?.length ? `of flow ${either(match.flows)}` : "",
    match?.deployments?.length ? `of deployment ${either(match.deployments)}` : "",
    match?.tags?.length ? `tagged ${either(match.tags)}` : "",
    match?.work_pools?.length ? `in pool ${either(match.work_pools)}` : "",
  ].filter(Boolean);
  return parts.length ? `a run ${parts.join(", ")}` : "any run";
}

export function triggerText(trigger: Automation["trigger"]): string {
  switch (trigger.type) {
    case "state":
      return `When ${matchText(trigger.match)} enters ${statesText(trigger.states)}`;
    case "running_longer_than":
      return `When ${matchText(trigger.match)} is still Running ${duration(trigger.seconds)} after it started`;
    case "not_in_state_within":
      return `When ${matchText(trigger.match)} enters ${statesText(trigger.after)} and is not ${statesText(trigger.expect)} within ${duration(trigger.seconds)}`;
    case "no_completed_run_by":
      return `When deployment ${trigger.deployment} has no Completed run by ${trigger.time} (${trigger.timezone ?? "its schedule's time zone, else UTC"})`;
    case "work_pool_offline":
      return `When ${trigger.work_pools.length ? `pool ${either(trigger.work_pools)}` : "any pool"} has had no online worker for ${duration(trigger.seconds)}`;
  }
}

export function actionText(action: Automation["actions"][number]): string {
  switch (action.type) {
    case "run_deployment": {
      const keys = Object.keys(action.parameters ?? {});
      return `Run deployment ${action.deployment}${keys.length ? ` with ${keys.join(", ")} set` : ""}`;
    }
    case "cancel_run":
      return "Cancel the run";
    case "pause_deployment":
      return `Pause deployment ${action.deployment}`;
    case "resume_deployment":
      return `Resume deployment ${action.deployment}`;
    case "pause_work_pool":
      return `Pause pool ${action.work_pool}`;
    case "resume_work_pool":
      return `Resume pool ${action.work_pool}`;
    case "notify":
      return `Notify through rule ${action.rule}`;
  }
}

const EVENT_WORDS: Record<string, string> = { RUNNING_LONG: "run still Running", NOT_IN_STATE: "run not in the expected state in time", NO_COMPLETED_RUN: "no Completed run in time", WORK_POOL_OFFLINE: "pool offline" };

/** What set a firing off, in words. */
export function eventText(event: string): string {
  return EVENT_WORDS[event] ?? `run entered ${STATE_WORDS[event] ?? event}`;
}

/** What a firing did: its actions done, being tried, or given up on. */
export function firingOutcome(firing: AutomationFiring, actions: readonly string[]): string {
  const what = actions.join("; ") || "its actions";
  if (firing.status === "done") return `Did: ${what}`;
  if (firing.status === "pending") return `Doing: ${what} (attempt ${firing.attempts + 1})`;
  return `Gave up after ${firing.attempts} attempt${firing.attempts === 1 ? "" : "s"}: ${what}`;
}

const TARGET_WORDS: Record<NotificationTargetView["type"], string> = { webhook: "Webhook", slack: "Slack", teams: "Microsoft Teams", email: "Email" };

export function targetTypeText(type: string): string {
  return TARGET_WORDS[type as NotificationTargetView["type"]] ?? type;
}

/** Where a rule sends, as the server shows it: URLs cut to their host, secrets only as "signed". */
export function targetText(target: NotificationTargetView): string {
  if (target.type === "email") {
    const to = target.to?.join(", ") ?? "";
    return `to ${to} via ${target.host ?? "?"}:${target.port ?? 587}${target.username ? ` as ${target.username}` : ""}`;
  }
  return `${target.url ?? ""}${target.has_hmac_secret ? " (signed)" : ""}`;
}

export function ruleMatchText(rule: NotificationRule): string {
  return `When ${matchText(rule.match)} enters ${statesText(rule.states)}`;
}
