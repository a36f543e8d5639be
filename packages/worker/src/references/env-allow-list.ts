import { BatonError } from "@baton/core/runtime";
import { SETTINGS } from "@baton/core/settings";

export class EnvNotAllowed extends BatonError {
  override readonly code = "EnvNotAllowed";
  override readonly status = 400;
}

export class InvalidEnvAllowList extends BatonError {
  override readonly code = "InvalidEnvAllowList";
  override readonly status = 400;
}

/**
 * Names a `{{ $NAME }}` never reads, whatever the allow-list says: the worker's own credentials
 * and every secret setting of a server that may share the worker's environment. Allowing one
 * would hand the worker's key to whoever writes a deployment.
 */
export const NEVER_RESOLVED: readonly string[] = Object.entries(SETTINGS)
  .filter(([, def]) => (def as { secret?: boolean }).secret)
  .map(([name]) => name);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

/**
 * The environment variables of the worker's host that `{{ $NAME }}` in a job configuration may
 * read: set by whoever starts the worker (`--allow-env`, BATON_WORKER_ALLOW_ENV), never by a
 * deployment. Empty by default: a deployment reads nothing of the host. `PREFIX_*` allows a family.
 */
export class EnvAllowList {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(readonly entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim();
      if (!entry) continue;
      if (!NAME.test(entry)) {
        throw new InvalidEnvAllowList(`InvalidEnvAllowList: "${entry}" is not an environment variable name; list names like AWS_REGION, or a family like APP_*`);
      }
      if (NEVER_RESOLVED.includes(entry)) {
        throw new InvalidEnvAllowList(`InvalidEnvAllowList: ${entry} can never be given to a run through {{ $${entry} }}; remove it from --allow-env (runs get their own token as BATON_API_KEY)`);
      }
      if (entry.endsWith("*")) this.prefixes.push(entry.slice(0, -1));
      else this.exact.add(entry);
    }
  }

  /** From a comma- or space-separated list, as BATON_WORKER_ALLOW_ENV holds it. */
  static parse(text: string | undefined): EnvAllowList {
    return new EnvAllowList((text ?? "").split(/[,\s]+/));
  }

  allows(name: string): boolean {
    if (NEVER_RESOLVED.includes(name)) return false;
    return this.exact.has(name) || this.prefixes.some((p) => name.startsWith(p));
  }

  /** Why `{{ $name }}` at `path` is refused, in words the deployment's author can act on. */
  refusal(name: string, path: string): EnvNotAllowed {
    if (NEVER_RESOLVED.includes(name)) {
      return new EnvNotAllowed(`EnvNotAllowed: job_configuration.${path} reads {{ $${name} }}: ${name} is the worker's own credential or setting and is never given to a run; remove it (the run gets its own token as BATON_API_KEY)`);
    }
    return new EnvNotAllowed(
      `EnvNotAllowed: job_configuration.${path} reads {{ $${name} }}, which this worker does not allow; remove it, put the value in the deployment's env, or ask the worker's admin to start it with --allow-env ${name} (BATON_WORKER_ALLOW_ENV)`,
    );
  }
}
