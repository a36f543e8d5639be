import { BatonError } from "@baton/core/runtime";
import type { z } from "zod";

export class InvalidJobConfiguration extends BatonError {
  override readonly code = "InvalidJobConfiguration";
  override readonly status = 400;
}

/**
 * A rendered job configuration read with an infrastructure's schema: every problem named by its
 * field, and where to fix it. One reader for every infrastructure, so their messages read alike.
 */
export function parseJobConfiguration<S extends z.ZodType>(schema: S, kind: string, config: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "value"} ${issue.message}`).join("; ");
  throw new InvalidJobConfiguration(
    `InvalidJobConfiguration: the ${kind} job configuration's ${problems}; fix the pool's base job template or the deployment's job_variables`,
  );
}
