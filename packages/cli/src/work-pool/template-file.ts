import { readFileSync } from "node:fs";
import { BaseJobTemplateSchema, fieldIssues, type BaseJobTemplate } from "@baton/core";
import { UsageError } from "../errors.js";

/** `--base-job-template FILE`: a JSON file holding `{ job_configuration, variables }`, checked here. */
export function readTemplateFile(path: string): BaseJobTemplate {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--base-job-template: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); start from baton work-pool default-template --type process > template.json`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--base-job-template: ${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = BaseJobTemplateSchema.safeParse(value);
  if (!parsed.success) {
    const lines = fieldIssues(parsed.error).map((i) => `${i.path}: ${i.message}`);
    throw new UsageError(`--base-job-template: ${path} is not a base job template { job_configuration, variables }:\n  ${lines.join("\n  ")}`);
  }
  return parsed.data;
}
