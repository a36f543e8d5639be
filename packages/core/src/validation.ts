import type { z } from "zod";
import type { FieldIssue } from "./errors.js";
import { knownKeysAt } from "./schema-keys.js";
import { closestName } from "./suggest.js";

/** `["deployments", 0, "schedules", 1, "cron"]` -> `deployments[0].schedules[1].cron`. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * Keys people bring from prefect.yaml, with what Baton takes instead: a Prefect habit gets an
 * answer, not "unknown key".
 */
const FOREIGN_KEYS: Record<string, string> = {
  schedule: 'Baton takes a list: schedules: [{ cron: "0 * * * *" }]',
  credentials: 'Prefect\'s credentials block; Baton takes access_token: "{{ baton.secrets.NAME }}" (HTTPS) or ssh_key: "{{ baton.secrets.NAME }}" (SSH)',
  build: "Baton builds nothing at deploy time; build images in CI, and say in pull how runs get the code",
  push: "Baton pushes nothing at deploy time; the pull section says how runs get the code",
  "prefect-version": "remove it; Baton's own version is checked by the server",
  flow_name: "Baton takes the flow's name from the flow that entrypoint names",
  parameter_openapi_schema: "Baton reads the parameter schema from the flow's zod schema",
  expand_env_vars: "Baton's run_shell_script passes env as given; write $NAME in the script for the shell to expand",
  job_variables: "job_variables go under work_pool: { name: POOL, job_variables: {...} }",
};

/** Fields of Prefect's deployment triggers that Baton's do not take, under `triggers:`. */
const FOREIGN_TRIGGER_KEYS: Record<string, string> = {
  expect: "Baton's triggers watch runs, not events: type: state with states: [COMPLETED], or type: not_in_state_within with after, expect and seconds",
  after: "Baton's triggers watch runs, not events: type: state with states and match, or type: not_in_state_within with after, expect and seconds",
  match_related: "Baton matches runs by match: { flows, deployments, tags, work_pools }",
  for_each: "a Baton trigger fires once per run (state, running_longer_than), per entry into a state (not_in_state_within), per day (no_completed_run_by) or per outage (work_pool_offline)",
  posture: "Baton's triggers say what they wait for by their type; Prefect's posture: Proactive is type: not_in_state_within with after, expect and seconds",
  threshold: "a Baton trigger fires once per event; there is no threshold",
  within: "write seconds: type: not_in_state_within with after: [PENDING], expect: [RUNNING], seconds: 600 (or running_longer_than with seconds, no_completed_run_by with time)",
  schedule_after: "a trigger runs the deployment at once; give it a schedule instead for later runs",
  job_variables: "a trigger's run takes the deployment's job variables; set them under work_pool",
  description: "give the trigger a name instead",
};

const underTriggers = (path: readonly PropertyKey[]) => path.length >= 2 && path[path.length - 2] === "triggers";

type Issue = z.core.$ZodIssue;

const isMissing = (issue: Issue) => issue.code === "invalid_type" && /received undefined/.test(issue.message);

/** A union of one-key objects (pull steps) failed: the option whose root shape matched is the one meant. */
function bestUnionOption(issue: Issue & { code: "invalid_union" }): Issue[] | undefined {
  const errors = (issue as { errors?: Issue[][] }).errors ?? [];
  const matched = errors.filter((option) => option.length > 0 && option.every((i) => i.path.length > 0 && !(i.path.length === 1 && isMissing(i))));
  return matched.length === 1 ? matched[0] : undefined;
}

function expand(issues: readonly Issue[], base: readonly PropertyKey[]): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === "invalid_union") {
      const best = bestUnionOption(issue);
      if (best) return expand(best, path);
    }
    return [{ ...issue, path } as Issue];
  });
}

/**
 * Zod's issues as Baton's: where (a readable path) and what, one per problem, all of them.
 * With the schema, an unknown key is answered with the key it most likely meant (and the
 * "required" complaint about that key, which only repeats the typo, is left out).
 */
export function fieldIssues(error: z.ZodError, prefix = "", schema?: z.ZodType): FieldIssue[] {
  const issues = expand(error.issues, []);
  const suggested = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = schema ? knownKeysAt(schema, issue.path) : [];
    for (const key of issue.keys) {
      const meant = closestName(key, known);
      if (meant) suggested.add(formatPath([...issue.path, meant]));
      const hint = (underTriggers(issue.path) ? FOREIGN_TRIGGER_KEYS[key] : FOREIGN_KEYS[key]) ?? (meant ? `did you mean "${meant}"?` : known.length > 0 ? `the keys here are ${known.join(", ")}` : "check the spelling");
      out.push({ path: formatPath(issue.path, prefix) || prefix || "(root)", message: `unknown key "${key}"; ${hint}` });
    }
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") continue;
    if (isMissing(issue) && suggested.has(formatPath(issue.path))) continue;
    out.push({ path: formatPath(issue.path, prefix) || prefix || "(root)", message: issue.message });
  }
  return out;
}

/** One line per issue, for terminals: `deployments[0].entrypoint: must be path/to/file.ts:exportName`. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join("\n");
}
