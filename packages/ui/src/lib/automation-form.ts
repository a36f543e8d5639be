import { AutomationCreateSchema, type AutomationAction, type AutomationCreate, type AutomationTrigger } from "@baton/core";

/** The new-automation form as typed: every trigger kind keeps its fields, so switching loses nothing. */
export type TriggerKind = AutomationTrigger["type"];
export type ActionKind = AutomationAction["type"];

export interface ActionDraft {
  type: ActionKind;
  /** The deployment (flow/name), pool or rule the action names; unused by cancel_run. */
  target: string;
}

export interface AutomationDraft {
  name: string;
  kind: TriggerKind;
  states: string[];
  /** Comma-separated lists of the runs it watches (state and running_longer_than). */
  flows: string;
  deployments: string;
  tags: string;
  workPools: string;
  /** not_in_state_within: the states entered, and those expected within `minutes`. */
  afterStates: string[];
  expectStates: string[];
  /** running_longer_than, not_in_state_within and work_pool_offline, in minutes. */
  minutes: string;
  /** no_completed_run_by. */
  deployment: string;
  time: string;
  timezone: string;
  actions: ActionDraft[];
}

export function emptyAutomationDraft(): AutomationDraft {
  return { name: "", kind: "state", states: ["FAILED"], afterStates: ["PENDING"], expectStates: ["RUNNING"], flows: "", deployments: "", tags: "", workPools: "", minutes: "120", deployment: "", time: "07:00", timezone: "", actions: [{ type: "notify", target: "" }] };
}

/** What an action's one field names, or null when it names nothing. */
export function actionTarget(type: ActionKind): { key: "deployment" | "work_pool" | "rule"; label: string; placeholder: string } | null {
  if (type === "cancel_run") return null;
  if (type === "notify") return { key: "rule", label: "Notification rule", placeholder: "ops-slack" };
  if (type === "pause_work_pool" || type === "resume_work_pool") return { key: "work_pool", label: "Work pool", placeholder: "k8s" };
  return { key: "deployment", label: "Deployment", placeholder: "etl/cleanup" };
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function triggerOf(d: AutomationDraft): Record<string, unknown> {
  const match = { flows: list(d.flows), deployments: list(d.deployments), tags: list(d.tags), work_pools: list(d.workPools) };
  const seconds = d.minutes.trim() === "" ? Number.NaN : Math.round(Number(d.minutes) * 60);
  switch (d.kind) {
    case "state":
      return { type: "state", states: d.states, match };
    case "running_longer_than":
      return { type: "running_longer_than", seconds, match };
    case "not_in_state_within":
      return { type: "not_in_state_within", after: d.afterStates, expect: d.expectStates, seconds, match };
    case "work_pool_offline":
      return { type: "work_pool_offline", seconds, work_pools: match.work_pools };
    case "no_completed_run_by":
      return { type: "no_completed_run_by", deployment: d.deployment.trim(), time: d.time.trim(), ...(d.timezone.trim() ? { timezone: d.timezone.trim() } : {}) };
  }
}

function actionOf(a: ActionDraft): Record<string, unknown> {
  const target = actionTarget(a.type);
  return target ? { type: a.type, [target.key]: a.target.trim() } : { type: a.type };
}

export interface AutomationCheck {
  body?: AutomationCreate;
  /** Core's messages by field: "name", "trigger", "minutes", "states", "after", "expect", "actions", "action-N". */
  problems: Record<string, string>;
}

/** Checks a draft with core's schema, as the server will, each problem under its field. */
export function checkAutomationDraft(d: AutomationDraft): AutomationCheck {
  const body = { name: d.name.trim(), trigger: triggerOf(d), actions: d.actions.map(actionOf) };
  const parsed = AutomationCreateSchema.safeParse(body);
  if (parsed.success) return { body: body as AutomationCreate, problems: {} };
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const [first, second] = issue.path.map(String);
    const field =
      first === "actions" ? (second === undefined ? "actions" : `action-${second}`) : first === "trigger" ? (second === "seconds" ? "minutes" : second === "states" || second === "after" || second === "expect" ? second : second === "deployment" || second === "time" || second === "timezone" ? second : "trigger") : "name";
    problems[field] ??= issue.message;
  }
  return { problems };
}
