import { z } from "zod";
import { parseJobConfiguration } from "../job-configuration/parse.js";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `512m` -> bytes, as `docker run --memory` reads it (k, m, g; a bare number is bytes). */
export function parseMemory(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(value.trim());
  if (!m) throw new TypeError(`"${value}" is not a memory size; write it as docker does, e.g. 512m or 2g`);
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
  // Docker refuses less than 6 MB; say so here, naming the field, rather than relaying its error.
  if (bytes < 6 * 1024 ** 2) throw new TypeError(`"${value}" is below Docker's minimum of 6m`);
  return bytes;
}

/** `host:container[:ro|rw]`: a host path (absolute) or a named volume, mounted at an absolute path. */
const VolumeSchema = z.string().refine((v) => /^[^:]+:\/[^:]*(:(ro|rw))?$/.test(v), {
  message: "must be host_path_or_volume:/container/path, optionally followed by :ro or :rw",
});

const MemorySchema = z.string().transform((value, ctx) => {
  try {
    return parseMemory(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});

/** What the Docker infrastructure reads from a rendered job configuration. */
export const DockerJobConfigurationSchema = z.object({
  image: z.string().min(1),
  image_pull_policy: z.enum(["IfNotPresent", "Always", "Never"]).default("IfNotPresent"),
  command: z.string().trim().min(1, "must name the program to run").default("baton flow-run execute"),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  labels: z.record(z.string(), z.string()).default({}),
  name: z.string().optional(),
  network_mode: z.string().min(1).optional(),
  volumes: z.array(VolumeSchema).default([]),
  memory: MemorySchema.optional(),
  cpus: z.number().positive().optional(),
  auto_remove: z.boolean().default(true),
  privileged: z.boolean().default(false),
  stream_output: z.boolean().default(true),
  git_ssh_key_path: z.string().startsWith("/", "must be an absolute path on the worker's host").optional(),
  git_known_hosts_path: z.string().startsWith("/", "must be an absolute path on the worker's host").optional(),
  /** Another attempt (back to Scheduled) when the container is lost (OOM-killed, removed), this many times. */
  crash_retries: z.number().int().min(0).max(10).default(0),
  /** Handed to the run as BATON_PULL_STEP_TIMEOUT_SECONDS: the time limit of each pull step. */
  pull_step_timeout_seconds: z.number().int().positive().optional(),
});
export type DockerJobConfiguration = z.infer<typeof DockerJobConfigurationSchema>;

export function parseDockerJobConfiguration(config: Record<string, unknown>): DockerJobConfiguration {
  return parseJobConfiguration(DockerJobConfigurationSchema, "docker", config);
}
