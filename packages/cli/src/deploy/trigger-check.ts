import { DeploymentTriggerSchema, deploymentTriggerName, type DeploymentTrigger, type FieldIssue } from "@baton/core";
import type { BatonClient } from "baton";
import { isNotFound } from "../api-errors.js";
import type { ServerFacts } from "./checks.js";

/** A deadline trigger's deployment that is not the one it is on, to look for once every flow's name is known. */
export interface OtherDeployment {
  ref: string;
  path: string;
}

/**
 * What a deployment's `triggers:` name must exist before anything is written: the pools a
 * work_pool_offline trigger watches now; another deployment a deadline watches is returned, and
 * checked by checkOtherDeployments once the file's own deployments are known. Each trigger whose
 * shape is valid is looked at, even when another's is not (those are named by the schema).
 */
export async function checkTriggers(facts: ServerFacts, raw: unknown, path: string): Promise<{ issues: FieldIssue[]; others: OtherDeployment[] }> {
  const issues: FieldIssue[] = [];
  const others: OtherDeployment[] = [];
  const names = new Map<string, number>();
  for (const [i, each] of (Array.isArray(raw) ? raw : []).entries()) {
    const parsed = DeploymentTriggerSchema.safeParse(each);
    if (!parsed.success) continue;
    const trigger = parsed.data;
    const at = `${path}.triggers[${i}]`;
    if (trigger.name !== undefined) {
      if (names.has(trigger.name)) issues.push({ path: `${at}.name`, message: `"${trigger.name}" is also the name of triggers[${names.get(trigger.name)}]; names must be unique` });
      names.set(trigger.name, i);
    }
    if (trigger.type === "work_pool_offline") {
      for (const [j, pool] of trigger.work_pools.entries()) {
        if (!(await facts.pool(pool))) issues.push({ path: `${at}.work_pools[${j}]`, message: `work pool "${pool}" does not exist; create it with baton work-pool create ${pool} --type process, or fix the name` });
      }
    }
    if (trigger.type === "no_completed_run_by" && trigger.deployment) others.push({ ref: trigger.deployment, path: `${at}.deployment` });
  }
  return { issues, others };
}

/** Deadlines on deployments that are neither deployed now nor on the server. */
export async function checkOtherDeployments(client: BatonClient, others: readonly OtherDeployment[], deployedNow: ReadonlySet<string>): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  for (const { ref, path } of others) {
    if (deployedNow.has(ref)) continue;
    const [flow, name] = ref.split("/") as [string, string];
    try {
      await client.call("readDeploymentByName", { params: { flow, name } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      issues.push({ path, message: `no deployment "${ref}"; deploy it first, or leave deployment out to watch this one` });
    }
  }
  return issues;
}

async function found<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * An automation by a trigger's name that this deployment does not own (made by hand, or another
 * deployment's): deploying would stop at it, so it is named before anything is written.
 */
export async function checkTriggerNames(client: BatonClient, deployments: ReadonlyArray<{ flow: string; name: string; path: string; triggers: readonly DeploymentTrigger[] }>): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  for (const d of deployments) {
    if (d.triggers.length === 0) continue;
    const own = await found(() => client.call("readDeploymentByName", { params: { flow: d.flow, name: d.name } }));
    for (const [i, trigger] of d.triggers.entries()) {
      const name = deploymentTriggerName(d.flow, d.name, i, trigger.name);
      const existing = await found(() => client.call("readAutomation", { params: { name } }));
      if (existing && (!own || existing.deployment_id !== own.id)) {
        issues.push({ path: `${d.path}.triggers[${i}]${trigger.name === undefined ? "" : ".name"}`, message: `an automation named "${name}" exists already and this deployment does not own it; give the trigger another name, or delete that automation with baton automation delete ${name}` });
      }
    }
  }
  return issues;
}
