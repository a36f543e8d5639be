import { describe, expect, it } from "vitest";
import { DeploymentRunSchema, DeploymentUpsertSchema } from "../api/deployments.js";
import { BatonYamlSchema } from "../project/baton-yaml.js";
import { parsePlaceholder } from "../templating/placeholders.js";
import { expandDottedJobVariables } from "./dotted.js";
import { renderJobConfiguration } from "./render.js";
import { checkBaseJobTemplate, undeclaredJobVariables } from "./validate.js";
import type { BaseJobTemplate } from "./schema.js";

const template: BaseJobTemplate = {
  job_configuration: {
    image: "{{ image }}",
    log_level: "{{ env.LOG_LEVEL }}",
    first_volume: "{{ volumes[0].name }}",
    deep: "{{ settings.retry.backoff[1] }}",
    whole: "{{ settings.retry }}",
    text: "level={{ env.LOG_LEVEL }}",
  },
  variables: {
    type: "object",
    properties: {
      image: { type: "string", default: "node:20" },
      env: { type: "object", default: { LOG_LEVEL: "info" } },
      volumes: { type: "array", default: [{ name: "data" }] },
      settings: { type: "object", default: { retry: { backoff: [1, 5, 30] } } },
    },
  },
};

describe("placeholders of any depth, with list indexes", () => {
  it("parse into a root and a path", () => {
    expect(parsePlaceholder("items[0].name")).toEqual({ kind: "variable", name: "items", path: [0, "name"], raw: "items[0].name" });
    expect(parsePlaceholder("a.b.c")).toEqual({ kind: "step-output", step: "a", field: "b", path: ["c"], raw: "a.b.c" });
    expect(parsePlaceholder("matrix[2][10]")).toMatchObject({ kind: "variable", name: "matrix", path: [2, 10] });
    expect(() => parsePlaceholder("items[x]")).toThrow(/not a placeholder Baton knows.*items\[0\]\.name/);
    expect(() => parsePlaceholder("a..b")).toThrow(/not a placeholder/);
  });

  it("read inside job variables when a job configuration is rendered, keeping the value's type", () => {
    const rendered = renderJobConfiguration(template, { env: { LOG_LEVEL: "debug" } });
    expect(rendered).toEqual({
      image: "node:20",
      log_level: "debug",
      first_volume: "data",
      deep: 5,
      whole: { backoff: [1, 5, 30] },
      text: "level=debug",
    });
    // A path that leads nowhere leaves the key out, as a missing variable does.
    expect(renderJobConfiguration(template, { volumes: [] })).not.toHaveProperty("first_volume");
  });

  it("count as a use of their root variable, and a root nobody declared is named", () => {
    expect(checkBaseJobTemplate(template)).toEqual({ errors: [], warnings: [] });
    const bad = checkBaseJobTemplate({ ...template, job_configuration: { x: "{{ nope.inner }}" } });
    expect(bad.errors).toEqual([expect.objectContaining({ path: "job_configuration.x", message: expect.stringMatching(/names no variable "nope"/) })]);
  });
});

describe("dotted job-variable keys, as prefect.yaml writes them", () => {
  it("expand into the nested form, the nested form winning where both say something", () => {
    expect(expandDottedJobVariables({ "env.FOO": "bar", image: "x" })).toEqual({ env: { FOO: "bar" }, image: "x" });
    expect(expandDottedJobVariables({ "env.FOO": "dotted", "env.BAR": "b", env: { FOO: "nested" } })).toEqual({ env: { FOO: "nested", BAR: "b" } });
    expect(expandDottedJobVariables({ "a.b.c": 1, "a.b.d": 2 })).toEqual({ a: { b: { c: 1, d: 2 } } });
    expect(expandDottedJobVariables({ env: "whole", "env.FOO": "x" })).toEqual({ env: "whole" });
  });

  it("are expanded wherever job variables come in, before the undeclared-variable check", () => {
    const yaml = BatonYamlSchema.parse({ deployments: [{ name: "d", entrypoint: "f.ts:f", work_pool: { name: "p", job_variables: { "env.FOO": "bar" } } }] });
    expect(yaml.deployments[0]!.work_pool!.job_variables).toEqual({ env: { FOO: "bar" } });
    expect(DeploymentUpsertSchema.parse({ flow_name: "f", name: "d", entrypoint: "f.ts:f", job_variables: { "env.FOO": "bar" } }).job_variables).toEqual({ env: { FOO: "bar" } });
    expect(DeploymentRunSchema.parse({ job_variables: { "env.A": "1" } }).job_variables).toEqual({ env: { A: "1" } });
    expect(undeclaredJobVariables(template, expandDottedJobVariables({ "env.FOO": "bar" }))).toEqual([]);
    expect(undeclaredJobVariables(template, expandDottedJobVariables({ "nope.FOO": "bar" }))[0]!.message).toMatch(/"nope" is not a variable/);
  });
});
