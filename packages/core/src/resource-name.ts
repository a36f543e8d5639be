import { z } from "zod";

/** Names of deployments, work pools, queues: they appear in URLs, `flow/deployment` references and labels. */
export const ResourceNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "use letters, digits, '-', '_' and '.', starting with a letter or digit");
