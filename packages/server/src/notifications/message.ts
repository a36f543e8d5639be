import { fromJson } from "../db/rows.js";
import type { Kysely } from "kysely";
import type { Database, RunEventTable } from "../db/schema.js";
import type { RunMatch } from "@baton/core";

/** What a message is about: the run, its state, and where to look. Stored with the delivery as its payload. */
export interface MessageFacts {
  event: string;
  flow_run: { id: string; name: string; flow_name: string; deployment: string | null; tags: string[]; work_pool: string | null } | null;
  state: { type: string; name: string; message: string | null; timestamp: string };
  /** The run's page in the UI (BATON_UI_URL), or null when the server does not know where the UI is. */
  url: string | null;
}

/** A rendered message: what every target sends, in its own shape. */
export interface Message extends MessageFacts {
  rule: string;
  title: string;
  text: string;
}

export const DEFAULT_TITLE = "Baton: flow run {run_name} is {state}";
export const DEFAULT_BODY = "Flow run {run_name} of {flow_name} (deployment {deployment}) entered {state}: {message}\n{url}";

export type RunFacts = NonNullable<MessageFacts["flow_run"]>;

/** The runs' names, flows, deployments, tags and pools, for matching and messages. */
export async function runFacts(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, RunFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("flow_runs").select(["id", "name", "flow_name", "deployment_name", "tags", "work_pool_name"]).where("id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, flow_name: r.flow_name, deployment: r.deployment_name, tags: fromJson<string[]>(r.tags), work_pool: r.work_pool_name }]));
}

/** Every list the rule gives must match; an empty list matches every run. */
export function matches(match: RunMatch, run: RunFacts): boolean {
  if (match.flows.length > 0 && !match.flows.includes(run.flow_name)) return false;
  if (match.deployments.length > 0 && (run.deployment === null || !match.deployments.some((d) => d === run.deployment || d === `${run.flow_name}/${run.deployment}`))) return false;
  if (match.tags.length > 0 && !match.tags.some((t) => run.tags.includes(t))) return false;
  if (match.work_pools.length > 0 && (run.work_pool === null || !match.work_pools.includes(run.work_pool))) return false;
  return true;
}

export function factsOf(event: RunEventTable, run: RunFacts | undefined, uiUrl: string | undefined): MessageFacts {
  return {
    event: event.event,
    flow_run: run ?? null,
    state: { type: event.event === "LATE" ? "SCHEDULED" : event.event, name: event.state_name, message: event.message, timestamp: event.occurred },
    url: uiUrl && run ? `${uiUrl.replace(/\/+$/, "")}/runs/${run.id}` : null,
  };
}

/** Fill `{run_name}`, `{flow_name}`, `{deployment}`, `{state}`, `{message}`, `{url}`, `{run_id}`, `{pool}`, `{tags}`; unknown names stay as written. */
export function render(template: string, facts: MessageFacts): string {
  const run = facts.flow_run;
  const values: Record<string, string> = {
    run_name: run?.name ?? "(test)",
    run_id: run?.id ?? "",
    flow_name: run?.flow_name ?? "(test)",
    deployment: run?.deployment ?? "none",
    pool: run?.work_pool ?? "none",
    tags: run?.tags.join(", ") ?? "",
    state: facts.state.name,
    message: facts.state.message || "(no message)",
    url: facts.url ?? "(set BATON_UI_URL on the server for a link)",
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** An automation's firing about no run (a missed deadline, a pool without workers): its message says what happened. */
const EVENT_TITLE = "Baton: {state}";
const EVENT_BODY = "{message}";

export function messageOf(rule: { name: string; title: string | null; body: string | null }, facts: MessageFacts): Message {
  const aboutRun = facts.flow_run !== null || facts.event === "TEST";
  return { rule: rule.name, ...facts, title: render(rule.title ?? (aboutRun ? DEFAULT_TITLE : EVENT_TITLE), facts), text: render(rule.body ?? (aboutRun ? DEFAULT_BODY : EVENT_BODY), facts) };
}
