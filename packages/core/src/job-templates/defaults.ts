import type { BaseJobTemplate } from "./schema.js";

export const WORK_POOL_TYPES = ["process", "docker", "kubernetes"] as const;
export type WorkPoolType = (typeof WORK_POOL_TYPES)[number];

const common = {
  name: { type: "string", title: "Name", description: "Name given to the infrastructure (defaults to the flow run's name)" },
  env: { type: "object", title: "Environment", description: "Environment variables for the run; merged key by key with the pool's and the deployment's", additionalProperties: { type: "string" }, default: {} },
  labels: { type: "object", title: "Labels", description: "Labels added to the infrastructure", additionalProperties: { type: "string" }, default: {} },
  command: { type: "string", title: "Command", description: "The command that starts the flow run; leave it to Baton unless you wrap it", default: "baton flow-run execute" },
} as const;

/** The process pool: each flow run is a child process of the worker, in its own process group. */
export const PROCESS_BASE_JOB_TEMPLATE: BaseJobTemplate = {
  job_configuration: {
    command: "{{ command }}",
    env: "{{ env }}",
    labels: "{{ labels }}",
    name: "{{ name }}",
    stream_output: "{{ stream_output }}",
    working_dir: "{{ working_dir }}",
  },
  variables: {
    type: "object",
    properties: {
      ...common,
      stream_output: { type: "boolean", title: "Stream output", description: "Copy the run's output to the worker's", default: true },
      working_dir: { type: "string", title: "Working directory", description: "Where the run starts (default: a new temporary folder per run)" },
    },
  },
};

const TEMPLATES: Partial<Record<WorkPoolType, BaseJobTemplate>> = { process: PROCESS_BASE_JOB_TEMPLATE };

/** The base job template a new pool of this type starts with (a deep copy: callers may edit it). */
export function defaultBaseJobTemplate(type: WorkPoolType): BaseJobTemplate | undefined {
  const t = TEMPLATES[type];
  return t ? (structuredClone(t) as BaseJobTemplate) : undefined;
}
