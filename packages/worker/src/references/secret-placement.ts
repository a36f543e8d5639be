import { BatonError, findPlaceholders } from "@baton/core/runtime";

export class SecretOutsideEnv extends BatonError {
  override readonly code = "SecretOutsideEnv";
  override readonly status = 400;
}

/** Where one `{{ baton.secrets.NAME }}` of a job configuration ends up. */
export interface SecretPlacement {
  /** `env.TOKEN`, `command`, `job_manifest.metadata.annotations.x` */
  path: string;
  secret: string;
  /** In `env`: given to the run as an environment variable. Anywhere else: refused. */
  allowed: boolean;
}

/**
 * Secrets go to a run only through its environment: `env.NAME` of the job configuration. A
 * secret anywhere else (a command argument, a Docker label, a Kubernetes annotation or init
 * container) would be written in plain text where `ps`, `docker inspect` or `kubectl get job`
 * show it, so the worker refuses the run instead (the choice is documented in docs/security.md).
 */
export function secretPlacements(jobConfiguration: Record<string, unknown>): SecretPlacement[] {
  const inEnv = new Set<string>();
  const env = jobConfiguration.env;
  if (env && typeof env === "object" && !Array.isArray(env)) {
    for (const [name, value] of Object.entries(env)) if (typeof value === "string") inEnv.add(`env.${name}`);
  }
  return findPlaceholders(jobConfiguration)
    .filter((f) => f.placeholder.kind === "secret")
    .map((f) => ({ path: f.path, secret: (f.placeholder as { name: string }).name, allowed: inEnv.has(f.path) }));
}

/** Throws when a secret stands outside `env`, naming each place and the fix. */
export function refuseSecretsOutsideEnv(jobConfiguration: Record<string, unknown>): void {
  const refused = secretPlacements(jobConfiguration).filter((p) => !p.allowed);
  if (refused.length === 0) return;
  const where = refused.map((p) => `job_configuration.${p.path} ({{ baton.secrets.${p.secret} }})`).join(", ");
  throw new SecretOutsideEnv(
    `SecretOutsideEnv: ${where}: a secret may only be used as a value of env, where it reaches the run as an environment variable (a Kubernetes run reads it from the run's Secret); anywhere else it would be written in plain text in the command line, the container or the Job. Move it to env and read the variable instead`,
  );
}
