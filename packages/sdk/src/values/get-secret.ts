import { BatonError } from "@baton/core/runtime";
import { SecretNotFound } from "../errors/values.js";
import { logMasker } from "../logging/masking.js";
import { apiErrorStatus, valuesClient } from "./run-client.js";

/** getSecret asked for a secret whose scope does not cover this run (or with a credential that reads no secret). */
export class SecretOutOfScope extends BatonError {
  override readonly code = "SecretOutOfScope";
  override readonly status = 403;
}

/**
 * The value of secret `name`, read with the run's own credential (its run token): only a secret
 * whose scope covers this run's work pool and deployment (`baton secret set NAME --pool P
 * --deployment F/D`), or one its pool's base job template names. The value is masked (`****`) in
 * this run's logs, states and output from then on, as the secrets of pull steps are.
 *
 * ```ts
 * const password = await getSecret("warehouse-password");
 * ```
 */
export async function getSecret(name: string): Promise<string> {
  const client = await valuesClient();
  try {
    const { value } = await client.call("readSecretValue", { params: { name } });
    logMasker.add(value);
    return value;
  } catch (error) {
    const status = apiErrorStatus(error);
    if (status === 404) throw new SecretNotFound(`SecretNotFound: getSecret("${name}"): there is no secret "${name}"; an admin sets it with baton secret set ${name} --pool POOL`, { cause: error });
    if (status === 403) {
      const { code, message } = error as { code?: string; message: string };
      const detail = message.replace(/^(SecretOutOfScope|Forbidden): /, "");
      const hint = code === "SecretOutOfScope" ? "" : "; getSecret reads secrets inside a deployment's run, with the run token its worker gives it";
      throw new SecretOutOfScope(`SecretOutOfScope: getSecret("${name}"): ${detail}${hint}`, { cause: error });
    }
    throw error;
  }
}
