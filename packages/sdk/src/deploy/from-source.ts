import type { DeploymentTrigger, GitCloneStep } from "@baton/core";
import { BatonError } from "@baton/core/runtime";
import { getClient } from "../client/index.js";
import type { Flow } from "../definition/flow-types.js";
import { isSecretReference } from "./secret.js";
import type { DeployableFlow, DeployOptions, DeployResult, FlowSourceOptions } from "../definition/deploy-types.js";
import { coreSchemas } from "../core-schemas.js";

export class InvalidFlowSource extends BatonError {
  override readonly code = "InvalidFlowSource";
  override readonly status = 400;
}

export class InvalidDeploymentTriggers extends BatonError {
  override readonly code = "InvalidDeploymentTriggers";
  override readonly status = 400;
}

const COMMIT = /^[0-9a-f]{40}$/i;

/** deploy()'s `triggers`, checked before anything is written, every problem named by its field. */
export function parseTriggers(triggers: unknown): DeploymentTrigger[] {
  const { DeploymentTriggersBodySchema, describeIssues, fieldIssues } = coreSchemas();
  const schema = DeploymentTriggersBodySchema.shape.triggers;
  const parsed = schema.safeParse(triggers);
  if (parsed.success) return parsed.data;
  throw new InvalidDeploymentTriggers(`InvalidDeploymentTriggers: deploy() was given triggers it cannot take; nothing was deployed:\n${describeIssues(fieldIssues(parsed.error, "triggers", schema))}`);
}

/** The git_clone pull step of a source: credentials stay references to secrets. */
export function gitCloneStep(source: FlowSourceOptions): GitCloneStep {
  for (const field of ["sshKey", "accessToken"] as const) {
    const value = source[field];
    if (value !== undefined && !isSecretReference(value)) {
      throw new InvalidFlowSource(
        `InvalidFlowSource: fromSource() ${field} must be a stored secret, secret("name"), not the credential itself: a deployment is stored on the server and shown to anyone who can read it; save it with baton secret set NAME`,
      );
    }
  }
  const raw = {
    repository: source.source,
    ...(source.ref ? (COMMIT.test(source.ref) ? { commit_sha: source.ref } : { branch: source.ref }) : {}),
    ...(source.includeSubmodules ? { include_submodules: true } : {}),
    ...(source.directories ? { directories: source.directories } : {}),
    ...(source.sshKey ? { ssh_key: source.sshKey } : {}),
    ...(source.accessToken ? { access_token: source.accessToken } : {}),
    ...(source.username ? { username: source.username } : {}),
    ...(source.knownHosts ? { known_hosts: source.knownHosts } : {}),
  };
  const parsed = coreSchemas().GitCloneStepSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidFlowSource(`InvalidFlowSource: fromSource() ${issue?.path.join(".") || "source"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/**
 * `etlFlow.fromSource({ source, entrypoint, ref, sshKey: secret("deploy-key") }).deploy({...})`:
 * a deployment whose runs clone the repository and run the entrypoint. The flow's name and
 * parameter schema come from the flow object, so they cannot disagree with the code.
 */
export function fromSource(flowObject: Flow<never, unknown>, source: FlowSourceOptions): DeployableFlow {
  const step = gitCloneStep(source);
  const entrypoint = coreSchemas().EntrypointSchema.safeParse(source.entrypoint);
  if (!entrypoint.success) throw new InvalidFlowSource(`InvalidFlowSource: fromSource() entrypoint ${JSON.stringify(source.entrypoint)} ${entrypoint.error.issues[0]?.message ?? "is invalid"}`);
  return {
    async deploy(options: DeployOptions): Promise<DeployResult> {
      const triggers = options.triggers === undefined ? undefined : parseTriggers(options.triggers);
      const client = options.client ?? (await getClient());
      const result = await client.call("upsertDeployment", {
        body: {
          flow_name: flowObject.name,
          name: options.name,
          entrypoint: entrypoint.data,
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.version !== undefined ? { version: options.version } : {}),
          tags: options.tags ?? [],
          parameters: options.parameters ?? {},
          parameter_schema: flowObject.parameterJsonSchema() ?? null,
          enforce_parameter_schema: options.enforceParameterSchema ?? true,
          pull_steps: [{ git_clone: step }],
          schedules: options.schedules ?? [],
          paused: options.paused ?? false,
          ...(options.concurrencyLimit !== undefined ? { concurrency_limit: options.concurrencyLimit } : {}),
          work_pool_name: options.workPool,
          ...(options.workQueue !== undefined ? { work_queue_name: options.workQueue } : {}),
          job_variables: options.jobVariables ?? {},
          source: { repository: source.source, ...(source.ref ? (COMMIT.test(source.ref) ? { commit: source.ref } : { branch: source.ref }) : {}) },
        },
      });
      if (triggers === undefined) return result;
      return { ...result, triggers: await client.call("setDeploymentTriggers", { params: { id: result.deployment.id }, body: { triggers } }) };
    },
  };
}
