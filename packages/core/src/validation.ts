import type { z } from "zod";
import type { FieldIssue } from "./errors.js";

/** `["deployments", 0, "schedules", 1, "cron"]` -> `deployments[0].schedules[1].cron`. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Zod's issues as Baton's: where (a readable path) and what, one per problem, all of them. */
export function fieldIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === "unrecognized_keys") message = `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; check the spelling`;
    return { path: formatPath(issue.path, prefix) || prefix || "(root)", message };
  });
}

/** One line per issue, for terminals: `deployments[0].entrypoint: must be path/to/file.ts:exportName`. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join("\n");
}
