import { findPlaceholders } from "@baton/core";
import { NEVER_RESOLVED } from "./env-allow-list.js";
import { secretPlacements } from "./secret-placement.js";

export interface ReferencePreview {
  path: string;
  /** `{{ baton.secrets.tok }}` or `{{ $AWS_REGION }}` */
  reference: string;
  /** What the worker does with it, in words. */
  route: string;
  /** The worker refuses to start a run with it. */
  refused: boolean;
}

const SECRET_ROUTES: Record<string, string> = {
  process: "resolved by the worker at launch into the run process's environment (masked in the run's logs)",
  docker: "resolved by the worker at launch into the container's environment, sent in the create request's body (masked in the run's logs)",
  kubernetes: "resolved by the worker at launch into the run's own Secret; the container reads it through secretKeyRef, the Job never holds the value",
};

/**
 * Where each secret and `$NAME` reference of a rendered job configuration goes when a worker
 * of this pool type launches a run: what `baton deployment preview` says about them, so a
 * deployment's author sees before any run that a secret outside `env` would be refused.
 */
export function previewReferences(jobConfiguration: Record<string, unknown>, poolType: string): ReferencePreview[] {
  const secrets: ReferencePreview[] = secretPlacements(jobConfiguration).map((p) => ({
    path: p.path,
    reference: `{{ baton.secrets.${p.secret} }}`,
    refused: !p.allowed,
    route: p.allowed
      ? (SECRET_ROUTES[poolType] ?? SECRET_ROUTES.process!)
      : "REFUSED: a secret outside env would be written in plain text (command line, labels, annotations, the Job); the worker will not start the run. Move it to env",
  }));
  const env: ReferencePreview[] = findPlaceholders(jobConfiguration)
    .filter((f) => f.placeholder.kind === "env")
    .map((f) => {
      const name = (f.placeholder as { name: string }).name;
      const never = NEVER_RESOLVED.includes(name);
      return {
        path: f.path,
        reference: `{{ ${f.placeholder.raw} }}`,
        refused: never,
        route: never
          ? `REFUSED: ${name} is the worker's own credential or setting and is never given to a run`
          : `read from the worker's host only if its admin allows ${name} (baton worker start --allow-env); otherwise the worker will not start the run`,
      };
    });
  return [...secrets, ...env];
}
