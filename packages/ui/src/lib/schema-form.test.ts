import { describe, expect, test } from "vitest";
import { draftFor, initialDraft, moved, type Draft } from "./schema-draft";
import { fieldsFromSchema, rootSpec } from "./schema-form";
import { draftToJson, formToParameters, jsonToDraft } from "./schema-values";

// What zod's toJSONSchema writes for a flow's parameters (io: "input").
const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    limit: { default: 10, type: "integer", minimum: 1, maximum: 9007199254740991 },
    mode: { default: "full", type: "string", enum: ["full", "delta"] },
    dry: { type: "boolean" },
    target: { type: "object", properties: { table: { type: "string" }, schema: { default: "public", type: "string" } }, required: ["table"] },
    ids: { default: [], type: "array", items: { type: "string" } },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
    when: { type: "string", format: "date-time" },
    ref: { $ref: "#/$defs/Level" },
    tables: { type: "array", minItems: 1, items: { type: "object", properties: { name: { type: "string" }, rows: { type: "integer" } }, required: ["name"] } },
    env: { type: "object", propertyNames: { type: "string" }, additionalProperties: { type: "string" } },
    extra: { type: "object", additionalProperties: {} },
    pair: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] },
    deep: { type: "object", properties: { a: { type: "object", properties: { b: { type: "object", properties: { c: { type: "array", items: { type: "string" } } } } } } } },
  },
  required: ["target"],
  $defs: { Level: { type: "integer", enum: [1, 2, 3], title: "Level" } },
};

type ObjectDraft = Extract<Draft, { t: "object" }>;
const set = (draft: Draft, name: string, value: Draft): ObjectDraft => ({ t: "object", fields: { ...(draft as ObjectDraft).fields, [name]: value } });

describe("a form from a parameter JSON Schema", () => {
  const fields = fieldsFromSchema(schema);
  const byName = (name: string) => fields.find((f) => f.name === name)!;

  test("fields: types, enums, nested objects, lists, free-form objects, nullable, $ref; zod's safe-integer bound dropped", () => {
    expect(fields.map((f) => [f.path, f.kind])).toEqual([
      ["limit", "integer"],
      ["mode", "enum"],
      ["dry", "boolean"],
      ["target", "object"],
      ["ids", "array"],
      ["note", "string"],
      ["when", "string"],
      ["ref", "enum"],
      ["tables", "array"],
      ["env", "dict"],
      ["extra", "dict"],
      ["pair", "json"],
      ["deep", "object"],
    ]);
    expect(byName("limit").minimum).toBe(1);
    expect(byName("limit").maximum).toBeUndefined();
    expect(byName("target").children?.map((c) => [c.path, c.required])).toEqual([
      ["target.table", true],
      ["target.schema", false],
    ]);
    expect(byName("note").nullable).toBe(true);
    expect(byName("ref")).toMatchObject({ label: "Level", enumValues: [1, 2, 3] });
    expect(byName("tables")).toMatchObject({ minItems: 1, items: { kind: "object", path: "tables[]" } });
    expect(byName("env").values?.kind).toBe("string");
    expect(byName("extra").values?.kind).toBe("any");
    // Below three levels of fieldsets an editor would be a maze: the list at deep.a.b.c is JSON.
    expect(byName("deep").children?.[0]?.children?.[0]?.children?.[0]).toMatchObject({ path: "deep.a.b.c", kind: "json" });
  });

  test("starting values: given parameters over schema defaults; values make typed parameters, empty optional ones left out", () => {
    const draft = initialDraft(fields, { limit: 3, target: { table: "events" }, tables: [{ name: "a", rows: 2 }], env: { LOG: "debug" } });
    expect(formToParameters(fields, draft).parameters).toEqual({
      limit: 3,
      mode: "full",
      dry: false,
      target: { table: "events", schema: "public" },
      ids: [],
      tables: [{ name: "a", rows: 2 }],
      env: { LOG: "debug" },
    });
  });

  test("every problem is named by its path, down to a list's item and a free-form object's key", () => {
    const tables = draftFor(byName("tables"), [{ name: "a" }, { rows: 2.5 }]);
    const env = draftFor(byName("env"), { A: "1" });
    if (env.t !== "dict") throw new Error("env is a dict");
    const withBadKeys: Draft = { ...env, entries: [...env.entries, { id: 98, key: "", draft: { t: "text", text: "x" } }, { id: 99, key: "A", draft: { t: "text", text: "2" } }] };
    let draft = set(initialDraft(fields), "tables", tables);
    draft = set(draft, "env", withBadKeys);
    draft = set(draft, "limit", { t: "text", text: "2.5" });
    draft = set(draft, "when", { t: "text", text: "yesterday" });
    draft = set(draft, "pair", { t: "json", text: "[oops" });
    expect(formToParameters(fields, draft).errors).toEqual({
      limit: "must be a whole number, not 2.5",
      "target.table": "required: enter a value",
      when: "must be a date and time: 2026-11-30T14:05",
      "tables[1].name": "required: enter a value",
      "tables[1].rows": "must be a whole number, not 2.5",
      "env[1]": "needs a key: name it, or remove the row",
      "env[2]": '"A" is given twice: keep one row',
      pair: expect.stringMatching(/^not valid JSON/),
    });
    expect(formToParameters(fields, set(set(initialDraft(fields), "tables", draftFor(byName("tables"), [])), "target", draftFor(byName("target"), { table: "t" }))).errors).toEqual({ tables: "needs at least 1 item" });
  });

  test("a date and time is typed in the display zone and sent as ISO 8601 UTC", () => {
    const when = byName("when");
    expect(draftFor(when, "2026-12-24T09:30:05.000Z", "UTC")).toEqual({ t: "text", text: "2026-12-24T09:30:05" });
    const draft = set(set(initialDraft(fields), "target", draftFor(byName("target"), { table: "t" })), "when", { t: "text", text: "2026-12-24T09:30" });
    expect(formToParameters(fields, draft, "UTC").parameters.when).toBe("2026-12-24T09:30:00.000Z");
  });

  test("rows move, and a field goes to JSON and back unchanged; JSON that does not fit stays JSON with a reason", () => {
    expect(moved(["a", "b", "c"], 2, 1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b"], 0, -1)).toEqual(["a", "b"]);
    const tables = byName("tables");
    const draft = draftFor(tables, [{ name: "a", rows: 1 }, { name: "b" }]);
    const text = draftToJson(tables, draft);
    expect(JSON.parse(text)).toEqual([{ name: "a", rows: 1 }, { name: "b" }]);
    const back = jsonToDraft(tables, text);
    expect("draft" in back && draftToJson(tables, back.draft)).toBe(text);
    expect(jsonToDraft(tables, '{"name": "a"}')).toEqual({ problem: 'must be a JSON list: ["a", "b"]: fix it to leave JSON' });
    // The whole form as JSON: all the parameters at once.
    const all = draftToJson(rootSpec(fields), initialDraft(fields, { target: { table: "t" } }));
    expect(formToParameters(fields, { t: "json", text: all }).parameters).toEqual(formToParameters(fields, initialDraft(fields, { target: { table: "t" } })).parameters);
  });

  test("a free-form object's values of no declared type read as JSON when they parse, else as text", () => {
    const extra = byName("extra");
    const draft = draftFor(extra, { n: 1, s: "text", quoted: "1", list: [1] });
    expect(draft.t === "dict" && draft.entries.map((e) => [e.key, e.draft])).toEqual([
      ["n", { t: "text", text: "1" }],
      ["s", { t: "text", text: "text" }],
      ["quoted", { t: "text", text: '"1"' }],
      ["list", { t: "text", text: "[1]" }],
    ]);
    expect(JSON.parse(draftToJson(extra, draft))).toEqual({ n: 1, s: "text", quoted: "1", list: [1] });
  });

  test("no schema, no fields", () => {
    expect(fieldsFromSchema(null)).toEqual([]);
    expect(fieldsFromSchema({ type: "object" })).toEqual([]);
  });
});
