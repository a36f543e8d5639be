import { z } from "zod";
import { TimestampSchema } from "./common.js";

export const SecretNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "use letters, digits, '-' and '_', starting with a letter or digit");

/** What anybody may see of a secret: never its value. */
export const SecretSchema = z.object({ name: z.string(), created: TimestampSchema, updated: TimestampSchema });
export type Secret = z.infer<typeof SecretSchema>;

export const SecretSetSchema = z.object({ value: z.string().min(1).max(1_000_000) }).strict();
export const SecretValueSchema = z.object({ name: z.string(), value: z.string() });
export const SecretParamsSchema = z.object({ name: SecretNameSchema });

export const VariableSchema = z.object({ name: z.string(), value: z.unknown(), created: TimestampSchema, updated: TimestampSchema });
export const VariableSetSchema = z.object({ value: z.unknown() }).strict();
