import { describe, expect, test } from "vitest";
import { BaseJobTemplateSchema, checkBaseJobTemplate, mergeJobVariables, renderJobConfiguration, undeclaredJobVariables } from "./index.js";

const template = BaseJobTemplateSchema.parse({
  job_configuration: { command: "{{ command }}", env: "{{ env }}", name: "{{ name }}", cwd: "{{ working_dir }}" },
  variables: {
    properties: {
      command: { type: "string", default: "baton flow-run execute" },
      env: { type: "object", default: { A: "pool" } },
      name: { type: "string" },
      working_dir: { type: "string" },
    },
  },
});

describe("job templates", () => {
  test("env merges key by key; other variables: run over deployment over pool default", () => {
    const merged = mergeJobVariables({ env: { A: "pool", B: "pool" }, command: "pool" }, { env: { B: "deployment" }, command: "deployment" }, { env: { C: "run" } });
    expect(merged).toEqual({ env: { A: "pool", B: "deployment", C: "run" }, command: "deployment" });
  });
  test("rendering fills defaults, drops unset keys and keeps types", () => {
    const out = renderJobConfiguration(template, { env: { B: "dep" } }, { name: "run-1" });
    expect(out).toEqual({ command: "baton flow-run execute", env: { A: "pool", B: "dep" }, name: "run-1" });
  });
  test("a placeholder naming no variable is an error; a declared variable never used is a warning", () => {
    const t = BaseJobTemplateSchema.parse({
      job_configuration: { image: "{{ imagee }}" },
      variables: { properties: { image: { type: "string" }, unused: { type: "string" } } },
    });
    const check = checkBaseJobTemplate(t);
    expect(check.errors).toEqual([expect.objectContaining({ path: "job_configuration.image", message: expect.stringMatching(/imagee.*names no variable.*image/) })]);
    expect(check.warnings.map((w) => w.path)).toEqual(["variables.properties.image", "variables.properties.unused"]);
  });
  test("job variables the pool does not declare are named with the declared ones", () => {
    const issues = undeclaredJobVariables(template, { imag: "x", env: {} });
    expect(issues).toEqual([{ path: "job_variables.imag", message: expect.stringContaining("declared variables: command, env, name, working_dir") }]);
  });
});

describe("default templates", () => {
  test("the process template uses every variable it declares and renders with defaults", async () => {
    const { defaultBaseJobTemplate } = await import("./defaults.js");
    const t = defaultBaseJobTemplate("process")!;
    expect(checkBaseJobTemplate(t)).toEqual({ errors: [], warnings: [] });
    expect(renderJobConfiguration(t, { env: { A: "1" } })).toEqual({ command: "baton flow-run execute", env: { A: "1" }, labels: {}, stream_output: true, pull_step_timeout_seconds: 900, reuse_process: false, reuse_limit: 10 });
  });
});
