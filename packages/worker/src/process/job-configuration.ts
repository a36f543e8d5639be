import { z } from "zod";
import { parseJobConfiguration } from "../job-configuration/parse.js";

/** What the process infrastructure reads from a rendered job configuration. */
export const ProcessJobConfigurationSchema = z.object({
  command: z.string().min(1).default("baton flow-run execute"),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  working_dir: z.string().min(1).optional(),
  stream_output: z.boolean().default(true),
  name: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  /** Handed to the run as BATON_PULL_STEP_TIMEOUT_SECONDS: the time limit of each pull step. */
  pull_step_timeout_seconds: z.number().int().positive().optional(),
  /** Runs of one deployment version share a long-lived executor (reuse-pool.ts). */
  reuse_process: z.boolean().default(false),
  reuse_limit: z.number().int().min(1).max(100).default(10),
});
export type ProcessJobConfiguration = z.infer<typeof ProcessJobConfigurationSchema>;

export function parseProcessJobConfiguration(config: Record<string, unknown>): ProcessJobConfiguration {
  return parseJobConfiguration(ProcessJobConfigurationSchema, "process", config);
}
