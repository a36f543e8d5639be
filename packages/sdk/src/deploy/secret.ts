import { coreSchemas } from "../core-schemas.js";

const PLACEHOLDER = /^\{\{\s*baton\.secrets\.([A-Za-z0-9][A-Za-z0-9_-]*)\s*\}\}$/;

/**
 * A reference to a stored secret, `{{ baton.secrets.NAME }}`: what a deployment holds instead
 * of the value, which is fetched on the machine that runs the flow.
 */
export function secret(name: string): string {
  const parsed = coreSchemas().SecretNameSchema.safeParse(name);
  if (!parsed.success) throw new TypeError(`secret(${JSON.stringify(name)}): ${parsed.error.issues[0]?.message ?? "not a valid secret name"}`);
  return `{{ baton.secrets.${name} }}`;
}

export function isSecretReference(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}
