import { describe, expect, test } from "vitest";
import { MISSING, renderTemplate } from "./render.js";
import { InvalidPlaceholder, findPlaceholders, parsePlaceholder } from "./placeholders.js";

const vars = (values: Record<string, unknown>) => (p: ReturnType<typeof parsePlaceholder>) =>
  p.kind === "variable" ? (p.name in values ? values[p.name] : MISSING) : undefined;

describe("renderTemplate", () => {
  test("a whole-string placeholder keeps the value's type", () => {
    const out = renderTemplate({ n: "{{ n }}", list: "{{list}}", obj: "{{ obj }}" }, vars({ n: 3, list: [1, 2], obj: { a: 1 } }));
    expect(out).toEqual({ n: 3, list: [1, 2], obj: { a: 1 } });
  });
  test("inside a longer string the value becomes text", () => {
    expect(renderTemplate({ s: "run-{{ n }}-{{ obj }}" }, vars({ n: 3, obj: { a: 1 } }))).toEqual({ s: 'run-3-{"a":1}' });
  });
  test("a whole-string placeholder with no value removes its key and list item", () => {
    expect(renderTemplate({ a: "{{ missing }}", b: ["x", "{{ missing }}"], c: 1 }, vars({}))).toEqual({ b: ["x"], c: 1 });
  });
  test("secrets, variables and $ENV are left as written for run time", () => {
    const doc = { token: "{{ baton.secrets.gitlab-token }}", home: "{{ $HOME }}/x", v: "{{ baton.variables.region }}" };
    expect(renderTemplate(doc, vars({}))).toEqual(doc);
  });
});

describe("placeholders", () => {
  test("kinds are told apart", () => {
    expect(parsePlaceholder("image")).toEqual({ kind: "variable", name: "image", path: [], raw: "image" });
    expect(parsePlaceholder("baton.secrets.deploy-key")).toMatchObject({ kind: "secret", name: "deploy-key" });
    expect(parsePlaceholder("$HOME")).toMatchObject({ kind: "env", name: "HOME" });
    expect(parsePlaceholder("clone.directory")).toMatchObject({ kind: "step-output", step: "clone", field: "directory" });
  });
  test("a malformed placeholder is an error that says which forms exist", () => {
    expect(() => parsePlaceholder("a b c")).toThrow(InvalidPlaceholder);
    expect(() => parsePlaceholder("a b c")).toThrow(/baton\.secrets\.NAME/);
  });
  test("findPlaceholders reports where each one is", () => {
    expect(findPlaceholders({ spec: { containers: [{ image: "{{ image }}" }] } }).map((f) => f.path)).toEqual(["spec.containers[0].image"]);
  });
});
