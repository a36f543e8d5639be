import type { BaseJobTemplate } from "../api/types";
import { BaseJobTemplateSchema, checkBaseJobTemplate } from "@baton/core";

export interface TemplateProblem {
  severity: "error" | "warning";
  path: string;
  message: string;
}

export interface TemplateCheckResult {
  /** Set when the text is a template the server could accept (no errors). */
  template?: BaseJobTemplate;
  problems: TemplateProblem[];
}

/** Where a JSON.parse error points, as line and column (engines say "at position N"). */
function jsonErrorMessage(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (!match || /line \d+/.test(message)) return message;
  const position = Number(match[1]);
  const before = text.slice(0, position).split("\n");
  return `${message} (line ${before.length} column ${(before[before.length - 1]?.length ?? 0) + 1})`;
}

/**
 * A pool's base job template as the user types it: JSON syntax, then the shape
 * `{ job_configuration, variables }` (core's schema), then placeholders naming undeclared
 * variables (core's check, the one the server runs on save). Warnings do not block saving.
 */
export function checkTemplateText(text: string): TemplateCheckResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ severity: "error", path: "", message: `Not valid JSON: ${jsonErrorMessage(text, error)}` }] };
  }
  const parsed = BaseJobTemplateSchema.safeParse(value);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        severity: "error" as const,
        path: issue.path.join("."),
        message: issue.code === "unrecognized_keys" ? `${issue.message}: a template has only job_configuration and variables` : issue.message,
      })),
    };
  }
  const check = checkBaseJobTemplate(parsed.data);
  const problems: TemplateProblem[] = [
    ...check.errors.map((i) => ({ severity: "error" as const, ...i })),
    ...check.warnings.map((i) => ({ severity: "warning" as const, ...i })),
  ];
  return check.errors.length > 0 ? { problems } : { template: parsed.data, problems };
}
