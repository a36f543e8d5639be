import { describe, expect, test } from "vitest";
import { checkTemplateText } from "./template-check";

const good = {
  job_configuration: { command: "{{ command }}", env: { A: "{{ baton.secrets.token }}" } },
  variables: { type: "object", properties: { command: { type: "string", default: "node" } } },
};

describe("the base job template editor's checks", () => {
  test("a good template passes and comes back parsed", () => {
    const result = checkTemplateText(JSON.stringify(good));
    expect(result.problems).toEqual([]);
    expect(result.template?.variables.properties.command?.default).toBe("node");
  });

  test("a JSON syntax error says where", () => {
    const result = checkTemplateText('{\n  "job_configuration": {,\n}');
    expect(result.template).toBeUndefined();
    expect(result.problems[0]?.message).toMatch(/^Not valid JSON: .*line 2/);
  });

  test("the shape: both parts, nothing else", () => {
    const missing = checkTemplateText(JSON.stringify({ variables: good.variables }));
    expect(missing.problems.map((p) => p.path)).toContain("job_configuration");
    const extra = checkTemplateText(JSON.stringify({ ...good, extra: 1 }));
    expect(extra.problems[0]?.message).toMatch(/only job_configuration and variables/);
  });

  test("a placeholder naming no variable is an error; an unused variable a warning", () => {
    const bad = checkTemplateText(JSON.stringify({ ...good, job_configuration: { command: "{{ comand }}" } }));
    expect(bad.template).toBeUndefined();
    expect(bad.problems).toEqual([
      { severity: "error", path: "job_configuration.command", message: expect.stringMatching(/\{\{ comand \}\} names no variable.*command/) },
      { severity: "warning", path: "variables.properties.command", message: expect.stringMatching(/never uses it/) },
    ]);
  });
});
