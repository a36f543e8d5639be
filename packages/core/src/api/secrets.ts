import { z } from "zod";
import { TimestampSchema } from "./common.js";
import { SecretScopeListsSchema } from "./secret-scope.js";

export const SecretNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "use letters, digits, '-' and '_', starting with a letter or digit");

/** What anybody may see of a secret: never its value; its scope, so a deployer knows what it may reference. */
export const SecretSchema = z.object({ name: z.string(), work_pools: z.array(z.string()), deployments: z.array(z.string()), created: TimestampSchema, updated: TimestampSchema });
export type Secret = z.infer<typeof SecretSchema>;

/**
 * Set a value and/or a scope. A new secret needs a value; without a scope it is usable by no
 * deployment. Giving one dimension of the scope sets the other to `*`; giving neither keeps the
 * scope (a value rotated stays where it was).
 */
export const SecretSetSchema = z
  .object({ value: z.string().min(1).max(1_000_000).optional(), work_pools: SecretScopeListsSchema.work_pools.optional(), deployments: SecretScopeListsSchema.deployments.optional() })
  .strict()
  .refine((b) => b.value !== undefined || b.work_pools !== undefined || b.deployments !== undefined, { message: "give a value, a scope (work_pools, deployments), or both", path: ["value"] });
export const SecretValueSchema = z.object({ name: z.string(), value: z.string() });
export const SecretParamsSchema = z.object({ name: SecretNameSchema });

export const VariableSchema = z.object({ name: z.string(), value: z.unknown(), created: TimestampSchema, updated: TimestampSchema });
export const VariableSetSchema = z.object({ value: z.unknown() }).strict();
