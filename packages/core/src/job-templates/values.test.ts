import { describe, expect, test } from "vitest";
import {
  BaseJobTemplateSchema,
  defaultBaseJobTemplate,
  invalidJobVariableValues,
  jobVariableIssues,
  lockedJobVariables,
  lockedVariableNames,
  renderJobConfiguration,
  variablesSchemaProblem,
  withoutLockedVariables,
} from "./index.js";

const docker = defaultBaseJobTemplate("docker")!;
const kubernetes = defaultBaseJobTemplate("kubernetes")!;

describe("locked job variables", () => {
  test("the default templates lock what reaches the host or the cluster, and leave the rest open", () => {
    expect(lockedVariableNames(docker).sort()).toEqual(["cluster_config", "git_known_hosts_path", "git_ssh_key_path", "network_mode", "privileged", "volumes"].sort());
    expect(lockedVariableNames(kubernetes).sort()).toEqual(
      ["cluster_config", "git_ssh_secret", "git_token_secret", "init_containers", "namespace", "service_account_name", "volume_mounts", "volumes"].sort(),
    );
    expect(lockedVariableNames(defaultBaseJobTemplate("process")!)).toEqual(["cluster_config"]);
  });

  test("a deployment setting a locked variable is refused, naming it, the pool and the fix", () => {
    const issues = lockedJobVariables(docker, { image: "x", privileged: true, volumes: ["/:/host"] }, "body.job_variables", "docker-pool");
    expect(issues.map((i) => i.path)).toEqual(["body.job_variables.privileged", "body.job_variables.volumes"]);
    expect(issues[0]!.message).toContain(`"privileged" is locked by work pool "docker-pool"'s admin`);
    expect(issues[0]!.message).toContain("baton work-pool update docker-pool");
  });

  test("cluster_config is refused from deployments and runs even when the pool's template does not lock it (pools of an earlier release)", () => {
    const template = structuredClone(kubernetes);
    delete (template.variables.properties.cluster_config as Record<string, unknown>)["x-baton-locked"];
    const [issue] = lockedJobVariables(template, { cluster_config: { kubeconfig: {} } });
    expect(issue?.path).toBe("job_variables.cluster_config");
    expect(issue?.message).toMatch(/cluster credentials come from the worker or the work pool/);
  });

  test("the keyword is a boolean: a string would leave the variable unlocked without anyone noticing", () => {
    const parsed = BaseJobTemplateSchema.safeParse({ job_configuration: { a: "{{ a }}" }, variables: { properties: { a: { type: "string", "x-baton-locked": "yes" } } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["variables", "properties", "a", "x-baton-locked"]);
  });

  test("an admin unlocks a variable by removing the keyword; a lock added later drops values written before it at render", () => {
    const open = structuredClone(docker);
    delete (open.variables.properties.network_mode as Record<string, unknown>)["x-baton-locked"];
    expect(lockedJobVariables(open, { network_mode: "none" })).toEqual([]);
    const pool = structuredClone(docker);
    pool.variables.properties.network_mode = { ...pool.variables.properties.network_mode, default: "none" };
    const config = renderJobConfiguration(pool, withoutLockedVariables(pool, { network_mode: "host", image: "mine" }));
    expect(config).toMatchObject({ network_mode: "none", image: "mine" });
  });
});

describe("job variable values against the pool's schema", () => {
  test("types, enums, patterns and bounds, each issue naming the variable", () => {
    const issues = invalidJobVariableValues(docker, { cpus: "two", image_pull_policy: "Sometimes", memory: "lots", crash_retries: 50, auto_remove: "yes" });
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath["job_variables.cpus"]).toMatch(/^"two" must be of type number; fix the value \(cpus, CPUs: CPU limit/);
    expect(byPath["job_variables.image_pull_policy"]).toMatch(/must be one of "IfNotPresent", "Always", "Never"/);
    expect(byPath["job_variables.memory"]).toMatch(/must match the pattern/);
    expect(byPath["job_variables.crash_retries"]).toMatch(/must be <= 10/);
    expect(byPath["job_variables.auto_remove"]).toMatch(/must be of type boolean/);
  });

  test("nested values are named by their path; valid values pass", () => {
    expect(invalidJobVariableValues(docker, { env: { A: "1", B: 2 } }).map((i) => i.path)).toEqual(["job_variables.env.B"]);
    expect(invalidJobVariableValues(kubernetes, { tolerations: [{ key: "a" }, "b"] }).map((i) => i.path)).toEqual(["job_variables.tolerations[1]"]);
    expect(invalidJobVariableValues(kubernetes, { namespace: "Team_A" })[0]?.message).toMatch(/must match the pattern/);
    expect(invalidJobVariableValues(kubernetes, { memory_limit: "1Gi", cpu_request: "500m", namespace: "team-a", image: "r/x:1" })).toEqual([]);
    expect(invalidJobVariableValues(kubernetes, { memory_limit: "1 gig" })[0]?.path).toBe("job_variables.memory_limit");
  });

  test("a secret, variable or $ENV placeholder is checked by the worker once resolved, not here; null unsets", () => {
    expect(invalidJobVariableValues(docker, { memory: "{{ baton.secrets.mem }}", cpus: "{{ baton.variables.cpus }}", name: null })).toEqual([]);
    // A job-variable placeholder in a value is not resolved at run time: it is checked as written.
    expect(invalidJobVariableValues(docker, { cpus: "{{ image }}" })).toHaveLength(1);
  });

  test("Prefect-shaped schemas: definitions and $ref are followed; required variables are a lower layer's business", () => {
    const template = BaseJobTemplateSchema.parse({
      job_configuration: { size: "{{ size }}", image: "{{ image }}" },
      variables: {
        type: "object",
        required: ["image"],
        definitions: { Size: { type: "string", enum: ["small", "large"] } },
        properties: { size: { allOf: [{ $ref: "#/definitions/Size" }] }, image: { type: "string" } },
      },
    });
    expect(variablesSchemaProblem(template)).toBeUndefined();
    expect(invalidJobVariableValues(template, { size: "small" })).toEqual([]);
    expect(invalidJobVariableValues(template, { size: "huge" }).map((i) => [i.path, i.message.split(";")[0]])).toEqual([["job_variables.size", `"huge" must be one of "small", "large"`]]);
  });

  test("two pools' schemas with the same $id are each checked with their own rules", () => {
    const pool = (values: string[]) =>
      BaseJobTemplateSchema.parse({ job_configuration: { size: "{{ size }}" }, variables: { $id: "https://example.com/vars", properties: { size: { type: "string", enum: values } } } });
    expect(invalidJobVariableValues(pool(["s"]), { size: "s" })).toEqual([]);
    expect(invalidJobVariableValues(pool(["m"]), { size: "m" })).toEqual([]);
    expect(invalidJobVariableValues(pool(["m"]), { size: "s" })[0]?.message).toMatch(/must be one of "m"/);
  });

  test("a schema that cannot compile is reported, never skipped", () => {
    const template = BaseJobTemplateSchema.parse({ job_configuration: { a: "{{ a }}" }, variables: { properties: { a: { type: "no-such-type" } } } });
    expect(variablesSchemaProblem(template)).toBeDefined();
    expect(invalidJobVariableValues(template, { a: 1 })[0]?.message).toMatch(/cannot check values/);
  });

  test("jobVariableIssues: undeclared, locked and invalid together", () => {
    const issues = jobVariableIssues(docker, { nope: 1, privileged: true, cpus: "x" }, "deployments[0].work_pool.job_variables", "p");
    expect(issues.map((i) => i.path)).toEqual([
      "deployments[0].work_pool.job_variables.nope",
      "deployments[0].work_pool.job_variables.privileged",
      "deployments[0].work_pool.job_variables.cpus",
    ]);
  });
});
