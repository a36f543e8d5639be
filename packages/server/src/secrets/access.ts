import type { FastifyRequest } from "fastify";
import { BatonError } from "@baton/core";

/** A credential that may not read a secret's value back: 403 Forbidden (its own class so secrets/ needs nothing of auth/, which reads secrets). */
export class SecretNotReadable extends BatonError {
  override readonly code = "Forbidden";
  override readonly status = 403;
}

/**
 * Who may read a secret's value back through the API: a flow run, with the run token its worker
 * gave it (the auth hook has already checked that the secret's scope covers the run: see
 * RUN_TOKEN_SCOPE), or anybody when authentication is off (`baton dev`, the in-process client,
 * where the caller owns the database and the key file anyway). Not admins, not workers: a key
 * that leaks must not leak every secret with it. Workers resolve a run's job-configuration
 * secrets with that run's token.
 */
export function assertMayReadSecretValue(request: FastifyRequest, name: string): void {
  // No principal: the server runs without the auth hook, which is authentication off.
  const principal = (request as Partial<Pick<FastifyRequest, "principal">>).principal;
  if (!principal || principal.kind === "run_token" || principal.kind === "anonymous") return;
  throw new SecretNotReadable(
    `Forbidden: nobody reads secret "${name}" back through the API, admins included; a flow run whose pool and deployment the secret's scope covers gets it (getSecret("${name}") in flow code, {{ baton.secrets.${name} }} in its configuration) with the run token its worker gives it. ` +
      `To change the value, set it again with baton secret set ${name}`,
  );
}
