import type { AutomationAction } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import type { AutomationFiringTable } from "../db/schema.js";
import { setDeploymentPaused } from "../deployments/manage.js";
import { readDeploymentByName } from "../deployments/read.js";
import { runDeployment } from "../deployments/run.js";
import { cancelFlowRun } from "../dispatch/cancel.js";
import { fromJson } from "../db/rows.js";
import type { MessageFacts } from "../notifications/message.js";
import { queueMessage } from "../notifications/outbox.js";
import { updateWorkPool } from "../work-pools/repository.js";
import { loadRule } from "../notifications/rules.js";

export interface ActionContext {
  database: BatonDatabase;
  key: () => Buffer;
  /** Wake a pool's waiting claims (a run was made). */
  wake: (pool: string | null) => void;
}

/** `{{ flow_run.id }}` and friends in a string take the triggering run's value; other values stay. */
export function fillParameters(value: unknown, facts: MessageFacts): unknown {
  if (typeof value === "string") {
    const fields: Record<string, string | null | undefined> = {
      "flow_run.id": facts.flow_run?.id,
      "flow_run.name": facts.flow_run?.name,
      "flow_run.flow_name": facts.flow_run?.flow_name,
      "flow_run.deployment": facts.flow_run?.deployment,
      "state.name": facts.state.name,
      "state.type": facts.state.type,
      "state.message": facts.state.message,
    };
    const whole = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
    if (whole && whole[1]! in fields) return fields[whole[1]!] ?? null;
    return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (all, name: string) => (name in fields ? String(fields[name] ?? "") : all));
  }
  if (Array.isArray(value)) return value.map((v) => fillParameters(v, facts));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillParameters(v, facts)]));
  return value;
}

async function deploymentId(database: BatonDatabase, ref: string): Promise<string> {
  const [flow, name] = ref.split("/") as [string, string];
  return (await readDeploymentByName(database.db, flow, name)).id;
}

/**
 * Run one firing's actions in order. Each is safe to repeat (a firing may run again after a crash):
 * a deployment's run carries the firing's idempotency key, cancelling or pausing twice changes nothing.
 */
export async function runActions(ctx: ActionContext, firing: AutomationFiringTable, actions: readonly AutomationAction[], now: Date): Promise<void> {
  const facts = fromJson<MessageFacts>(firing.facts);
  for (const [index, action] of actions.entries()) {
    switch (action.type) {
      case "run_deployment": {
        const parameters = fillParameters(action.parameters ?? {}, facts) as Record<string, unknown>;
        const run = await runDeployment(ctx.database, await deploymentId(ctx.database, action.deployment), { parameters, job_variables: {}, tags: ["automation"], idempotency_key: `automation:${firing.id}:${index}` }, now);
        ctx.wake(run.work_pool_name);
        break;
      }
      case "cancel_run":
        if (facts.flow_run) await cancelFlowRun(ctx.database, facts.flow_run.id, now);
        break;
      case "pause_deployment":
      case "resume_deployment":
        await setDeploymentPaused(ctx.database, await deploymentId(ctx.database, action.deployment), action.type === "pause_deployment", now);
        break;
      case "pause_work_pool":
      case "resume_work_pool":
        await updateWorkPool(ctx.database, action.work_pool, { paused: action.type === "pause_work_pool" }, now);
        break;
      case "notify": {
        const rule = (await loadRule(ctx.database.db, ctx.key(), { name: action.rule }))!;
        await queueMessage(ctx.database.db, rule, facts, `automation:${firing.id}:${index}`, now);
        break;
      }
    }
  }
}
