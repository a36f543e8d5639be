import type { Deployment, FlowRun, SecretMasker } from "@baton/core";
import { ApiError, findPlaceholders } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";

/** Names of the secrets a run's configuration references: its deployment's pull steps and job variables, and its own job variables. */
export function referencedSecretNames(deployment: Deployment, run: FlowRun): string[] {
  const names = new Set<string>();
  for (const document of [deployment.pull_steps, deployment.job_variables, run.job_variables ?? {}]) {
    for (const { placeholder } of findPlaceholders(document)) if (placeholder.kind === "secret") names.add(placeholder.name);
  }
  return [...names];
}

/**
 * Learn, before the flow's code runs, every secret value this run could read: those its
 * configuration references are exactly the ones its run token may read, so a value the flow
 * fetches itself (through any client), or gets from an environment variable a job template set
 * outside `env`, is masked like the ones the pull steps resolve. A secret that is missing is left
 * to the step that needs it to report.
 */
export async function learnReferencedSecrets(client: BatonClient, masker: SecretMasker, deployment: Deployment, run: FlowRun): Promise<void> {
  for (const name of referencedSecretNames(deployment, run)) {
    try {
      masker.add((await client.call("readSecretValue", { params: { name } })).value);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
    }
  }
}
