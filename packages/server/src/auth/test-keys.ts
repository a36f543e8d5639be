import { RoleSchema, type Role } from "@baton/core";
import type { FastifyInstance } from "fastify";

/** Headers carrying a Bearer key, for `app.inject`. */
export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** One key per role, made with an admin key through the API itself. */
export async function keysByRole(app: FastifyInstance, adminKey: string, prefix = "walk"): Promise<Record<Role, string>> {
  const keys = {} as Record<Role, string>;
  for (const role of RoleSchema.options) {
    const answer = await app.inject({ method: "POST", url: "/api/api_keys", headers: bearer(adminKey), payload: { name: `${prefix}-${role}`, role } });
    if (answer.statusCode !== 201) throw new Error(`creating the ${role} key answered ${answer.statusCode}: ${answer.body}`);
    keys[role] = answer.json<{ key: string }>().key;
  }
  return keys;
}
