import { describe, expect, test } from "vitest";
import { fieldsFromSchema, formToParameters, initialValues } from "./schema-form";

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
  },
  required: ["target"],
  $defs: { Level: { type: "integer", enum: [1, 2, 3], title: "Level" } },
};

describe("a Run form from a parameter JSON Schema", () => {
  const fields = fieldsFromSchema(schema);

  test("fields: types, enums, nested objects, nullable, $ref; zod's safe-integer bound dropped", () => {
    expect(fields.map((f) => [f.path, f.kind])).toEqual([
      ["limit", "integer"],
      ["mode", "enum"],
      ["dry", "boolean"],
      ["target", "object"],
      ["ids", "json"],
      ["note", "string"],
      ["when", "string"],
      ["ref", "enum"],
    ]);
    const limit = fields[0];
    expect(limit?.minimum).toBe(1);
    expect(limit?.maximum).toBeUndefined();
    expect(fields[3]?.children?.map((c) => [c.path, c.required])).toEqual([
      ["target.table", true],
      ["target.schema", false],
    ]);
    expect(fields[5]?.nullable).toBe(true);
    expect(fields[7]).toMatchObject({ label: "Level", enumValues: [1, 2, 3] });
  });

  test("starting values: given parameters over schema defaults", () => {
    const values = initialValues(fields, { limit: 3, target: { table: "events" } });
    expect(values).toMatchObject({ limit: "3", mode: '"full"', dry: false, "target.table": "events", "target.schema": "public", ids: "[]", note: "" });
  });

  test("values make typed parameters; empty optional fields are left out", () => {
    const values = { ...initialValues(fields), "target.table": "events", ref: "2", limit: "25", dry: true };
    expect(formToParameters(fields, values)).toEqual({
      parameters: { limit: 25, mode: "full", dry: true, target: { table: "events", schema: "public" }, ids: [], ref: 2 },
      errors: {},
    });
  });

  test("every problem is explained per field before sending", () => {
    const values = { ...initialValues(fields), limit: "2.5", ids: "[oops", when: "yesterday" };
    const { errors } = formToParameters(fields, values);
    expect(errors.limit).toBe("must be a whole number, not 2.5");
    expect(errors.ids).toMatch(/^not valid JSON/);
    expect(errors.when).toMatch(/date and time/);
    expect(errors["target.table"]).toBe("required: enter a value");
    expect(formToParameters(fields, { ...initialValues(fields), "target.table": "t", limit: "0" }).errors).toEqual({ limit: "must be at least 1" });
  });

  test("no schema, no fields", () => {
    expect(fieldsFromSchema(null)).toEqual([]);
    expect(fieldsFromSchema({ type: "object" })).toEqual([]);
  });
});
