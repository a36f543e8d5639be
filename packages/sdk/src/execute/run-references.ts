import type { SecretMasker } from "@baton/core";
import { ApiError } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";
import { SecretNotFound, VariableNotFound } from "../errors/values.js";

export { SecretNotFound, VariableNotFound };

/**
 * How a run's pull steps get `{{ baton.secrets.X }}` and `{{ baton.variables.X }}`: from the
 * server, at run time. Each secret value is added to the masker the moment it arrives.
 */
export function referenceResolvers(client: BatonClient, masker: SecretMasker) {
  return {
    async resolveSecret(name: string): Promise<string> {
      try {
        const { value } = await client.call("readSecretValue", { params: { name } });
        masker.add(value);
        return value;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          throw new SecretNotFound(`SecretNotFound: the deployment uses {{ baton.secrets.${name} }} but there is no secret "${name}"; create it with baton secret set ${name}`);
        }
        throw error;
      }
    },
    async resolveVariable(name: string): Promise<unknown> {
      try {
        const variable = await client.call("readVariable", { params: { name } });
        return variable.value;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          throw new VariableNotFound(`VariableNotFound: the deployment uses {{ baton.variables.${name} }} but there is no variable "${name}"; create it with baton variable set ${name}`);
        }
        throw error;
      }
    },
  };
}
