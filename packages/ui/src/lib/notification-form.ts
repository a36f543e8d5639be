import { NOTIFY_STATES, NotificationRuleCreateSchema, type NotificationRuleCreate } from "@baton/core";

/** The new-rule form as typed: lists as comma-separated text, the target's fields by type. */
export interface RuleDraft {
  name: string;
  states: string[];
  flows: string;
  deployments: string;
  tags: string;
  workPools: string;
  type: "webhook" | "slack" | "teams";
  url: string;
  hmacSecret: string;
}

export const RULE_STATES = NOTIFY_STATES;

export function emptyRuleDraft(): RuleDraft {
  return { name: "", states: ["FAILED", "CRASHED"], flows: "", deployments: "", tags: "", workPools: "", type: "webhook", url: "", hmacSecret: "" };
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export type RuleField = "name" | "states" | "match" | "url" | "hmacSecret";

export interface RuleCheck {
  /** The body for POST /notification_rules, when the draft has no problem. */
  body?: NotificationRuleCreate;
  /** Core's messages (the server's own check) by the form's field. */
  problems: Partial<Record<RuleField, string>>;
}

/** Checks a draft with core's schema, as the server will: each problem under the field it is about. */
export function checkRuleDraft(draft: RuleDraft): RuleCheck {
  const target = draft.type === "webhook" && draft.hmacSecret ? { type: draft.type, url: draft.url.trim(), hmac_secret: draft.hmacSecret } : { type: draft.type, url: draft.url.trim() };
  const body = {
    name: draft.name.trim(),
    states: draft.states,
    match: { flows: list(draft.flows), deployments: list(draft.deployments), tags: list(draft.tags), work_pools: list(draft.workPools) },
    target,
  };
  const parsed = NotificationRuleCreateSchema.safeParse(body);
  if (parsed.success) return { body: body as NotificationRuleCreate, problems: {} };
  const problems: RuleCheck["problems"] = {};
  for (const issue of parsed.error.issues) {
    const [first, second] = issue.path.map(String);
    const field: RuleField = first === "target" ? (second === "hmac_secret" ? "hmacSecret" : "url") : first === "states" ? "states" : first === "match" ? "match" : "name";
    problems[field] ??= issue.message;
  }
  return { problems };
}
