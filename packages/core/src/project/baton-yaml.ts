import { z } from "zod";
import { ResourceNameSchema } from "../resource-name.js";
import { ScheduleSpecSchema } from "../schedules/schema.js";
import { expandDottedJobVariables } from "../job-templates/dotted.js";
import { PullStepSchema } from "./pull-steps.js";
import { DeploymentTriggerSchema } from "../automations/triggers.js";

const name = ResourceNameSchema;

export const EntrypointSchema = z
  .string()
  .regex(/^[^:]+\.(ts|mts|cts|js|mjs|cjs):[A-Za-z_$][A-Za-z0-9_$]*$/, "must be path/to/file.ts:exportName, e.g. flows/etl.ts:etlFlow");

export const DeploymentSpecSchema = z
  .object({
    name,
    entrypoint: EntrypointSchema,
    description: z.string().max(5000).optional(),
    version: z.string().max(200).optional(),
    tags: z.array(z.string().min(1)).default([]),
    parameters: z.record(z.string(), z.unknown()).default({}),
    schedules: z.array(ScheduleSpecSchema).default([]),
    paused: z.boolean().default(false),
    concurrency_limit: z.number().int().positive().optional(),
    enforce_parameter_schema: z.boolean().default(true),
    pull: z.array(PullStepSchema).optional(),
    work_pool: z
      .object({
        name,
        work_queue_name: name.optional(),
        // `env.FOO: bar` is `env: { FOO: bar }`, as in prefect.yaml.
        job_variables: z.record(z.string(), z.unknown()).transform(expandDottedJobVariables).default({}),
      })
      .strict()
      .optional(),
    /**
     * Prefect's deployment triggers: each becomes an automation owned by the deployment that runs
     * it (state, running_longer_than, not_in_state_within, no_completed_run_by, work_pool_offline); `baton deploy`
     * creates, updates and deletes them to match this list.
     */
    triggers: z.array(DeploymentTriggerSchema).max(20, "at most 20 triggers on a deployment").default([]),
  })
  .strict();
export type DeploymentSpec = z.output<typeof DeploymentSpecSchema>;

/** `baton.yaml`: the prefect.yaml shape, so people carry their knowledge over. */
export const BatonYamlSchema = z
  .object({
    name: name.optional(),
    /** Default pull steps for every deployment; `[]` means the code is already where the run starts. */
    pull: z.array(PullStepSchema).optional(),
    deployments: z.array(DeploymentSpecSchema).min(1, "list at least one deployment"),
    /** Free space for YAML anchors (`definitions: { schedules: &hourly ... }`). */
    definitions: z.unknown().optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Map<string, number>();
    doc.deployments.forEach((d, i) => {
      if (seen.has(d.name)) ctx.addIssue({ code: "custom", path: ["deployments", i, "name"], message: `"${d.name}" is also the name of deployments[${seen.get(d.name)}]; names must be unique` });
      seen.set(d.name, i);
    });
  });
export type BatonYaml = z.output<typeof BatonYamlSchema>;
