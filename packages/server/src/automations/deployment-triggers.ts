import { ConflictError, ValidationError, deploymentTriggerName, uuidv7, type AutomationAction, type DeploymentTriggerSchema, type DeploymentTriggersResult } from "@baton/core";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { toJson } from "../db/rows.js";
import type { AutomationTable } from "../db/schema.js";
import { readDeploymentRow } from "../deployments/read.js";
import { watchersChanged } from "../run-events/record.js";
import { checkTriggerReferences, toAutomation } from "./repository.js";

type Trigger = z.output<typeof DeploymentTriggerSchema>;

export class TriggerNameTaken extends ConflictError {
  override readonly code = "TriggerNameTaken";
  constructor(path: string, name: string) {
    super(`${path}: an automation named "${name}" exists already and this deployment does not own it; give the trigger another name, or delete that automation with baton automation delete ${name}`);
  }
}

/**
 * Make a deployment's `triggers:` the automations it owns, as `baton deploy` does each time:
 * a trigger becomes an automation that runs the deployment; one that changed is updated in place
 * (its firings, and so "once a day", stay with it); those no longer listed are deleted; one that
 * did not change is left alone, so deploying twice changes nothing.
 */
export async function setDeploymentTriggers(database: BatonDatabase, deploymentId: string, triggers: Trigger[], now: Date): Promise<DeploymentTriggersResult> {
  const deployment = await readDeploymentRow(database.db, deploymentId);
  const ref = `${deployment.flow_name}/${deployment.name}`;
  const wanted = triggers.map(({ name, enabled, parameters, ...trigger }, index) => {
    const actions: AutomationAction[] = [{ type: "run_deployment", deployment: ref, parameters }];
    const full = trigger.type === "no_completed_run_by" ? { ...trigger, deployment: trigger.deployment ?? ref } : trigger;
    return { path: `body.triggers.${index}`, name: deploymentTriggerName(deployment.flow_name, deployment.name, index, name), enabled: enabled ? 1 : 0, trigger: full, actions };
  });
  const seen = new Map<string, string>();
  for (const w of wanted) {
    if (seen.has(w.name)) throw new ValidationError(`${w.path}.name: "${w.name}" is also the name of ${seen.get(w.name)}; names must be unique`, [{ path: `${w.path}.name`, message: "duplicate name" }]);
    seen.set(w.name, w.path);
    // A deadline on the deployment itself needs no look: it exists.
    if (!(w.trigger.type === "no_completed_run_by" && w.trigger.deployment === ref)) await checkTriggerReferences(database.db, w.trigger, w.path);
  }
  const stamp = now.toISOString();
  const result = await database.transaction(async (trx) => {
    const owned = await trx.selectFrom("automations").selectAll().where("deployment_id", "=", deploymentId).execute();
    const automations: DeploymentTriggersResult["automations"] = [];
    for (const w of wanted) {
      const values = { enabled: w.enabled, trigger_type: w.trigger.type, trigger: toJson(w.trigger), actions: toJson(w.actions) };
      const mine = owned.find((o) => o.name === w.name);
      if (mine) {
        if (mine.enabled === values.enabled && mine.trigger === values.trigger && mine.actions === values.actions) {
          automations.push({ ...toAutomation(mine), outcome: "unchanged" });
          continue;
        }
        const row = await trx.updateTable("automations").set({ ...values, updated: stamp }).where("id", "=", mine.id).returningAll().executeTakeFirstOrThrow();
        automations.push({ ...toAutomation(row), outcome: "updated" });
        continue;
      }
      const row: AutomationTable = { id: uuidv7(now.getTime()), name: w.name, ...values, deployment_id: deploymentId, created: stamp, updated: stamp };
      const inserted = await trx.insertInto("automations").values(row).onConflict((oc) => oc.column("name").doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new TriggerNameTaken(`${w.path}.name`, w.name);
      automations.push({ ...toAutomation(row), outcome: "created" });
    }
    const gone = owned.filter((o) => !seen.has(o.name));
    if (gone.length > 0) await trx.deleteFrom("automations").where("id", "in", gone.map((o) => o.id)).execute();
    return { automations, deleted: gone.map((o) => o.name) };
  });
  if (result.deleted.length > 0 || result.automations.some((a) => a.outcome !== "unchanged")) watchersChanged(database);
  return result;
}
