import { NotFoundError, type Deployment, type DeploymentSchedule } from "@baton/core";
import { resolveRef } from "../refs/resolve.js";
import { describeSchedule } from "./print.js";

export class DeploymentScheduleNotFound extends NotFoundError {
  override readonly code = "DeploymentScheduleNotFound";
}

const label = (d: Deployment) => `${d.flow_name}/${d.name}`;

/**
 * One schedule of a deployment as a user gives it: its ID or a unique ID prefix (8+ characters).
 * The deployment read carries all its schedules, so they are matched here, and one that is not
 * among them is named with the command that lists them before any change is asked for.
 */
export async function findSchedule(deployment: Deployment, ref: string): Promise<DeploymentSchedule> {
  const notFound = () =>
    new DeploymentScheduleNotFound(
      `DeploymentScheduleNotFound: deployment '${label(deployment)}' has no schedule "${ref}"; list its schedules with baton deployment schedule ls ${label(deployment)} and give one's ID (or 8+ characters of it)`,
    );
  const matches = (prefix: string) =>
    deployment.schedules.filter((s) => s.id.toLowerCase().startsWith(prefix)).map((s) => ({ id: s.id, label: `${s.id}  ${describeSchedule(s.schedule)}` }));
  const id = await resolveRef(ref, { what: "schedule", byIdPrefix: async (prefix) => matches(prefix), byName: async () => [], notFound });
  const found = deployment.schedules.find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!found) throw notFound();
  return found;
}
