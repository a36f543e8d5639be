import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ParameterValidationError } from "@baton/core";
import { flow, isFlow, task } from "../index.js";
import { validateParameters } from "../definition/parameters.js";
import type { StandardSchemaV1 } from "../definition/standard-schema.js";

const etl = flow(
  { name: "etl-flow", parameters: z.object({ limit: z.number().int().default(3), tags: z.array(z.string()).default([]) }) },
  async ({ limit }) => limit,
);

describe("flow definitions", () => {
  it("are recognisable, named, and describe their parameters as JSON Schema", () => {
    expect(isFlow(etl)).toBe(true);
    expect(isFlow(task("t", () => 1))).toBe(false);
    expect(isFlow(() => 1)).toBe(false);
    expect(etl.name).toBe("etl-flow");
    const schema = etl.parameterJsonSchema()!;
    expect(schema.type).toBe("object");
    expect((schema.properties as Record<string, { type: string; default?: unknown }>).limit).toMatchObject({ type: "integer", default: 3 });
    expect(schema.required ?? []).toEqual([]);
    expect(flow("no-params", () => 1).parameterJsonSchema()).toBeUndefined();
  });

  it("refuse bad options when defined, naming the option", () => {
    expect(() => flow({ name: "bad/name" }, () => 1)).toThrow(/name "bad\/name"/);
    expect(() => flow({ name: "x", retries: -1 }, () => 1)).toThrow(/retries/);
    expect(() => flow({ name: "x", parameters: {} as never }, () => 1)).toThrow(/parameters must be a schema/);
    expect(() => task({ name: "t", timeoutSeconds: 0 }, () => 1)).toThrow(/timeoutSeconds/);
    expect(() => task({ name: "t", retryDelaySeconds: [1, -2] }, () => 1)).toThrow(/retryDelaySeconds/);
  });
});

describe("parameter validation", () => {
  it("applies defaults and names every bad parameter with its path", async () => {
    const schema = etl.options.parameters as StandardSchemaV1;
    expect(await validateParameters("etl-flow", schema, { limit: 2 })).toEqual({ limit: 2, tags: [] });
    expect(await validateParameters("etl-flow", schema, undefined)).toEqual({ limit: 3, tags: [] });
    const error = (await validateParameters("etl-flow", schema, { limit: "x", tags: [1] }).catch((e: unknown) => e)) as ParameterValidationError;
    expect(error).toBeInstanceOf(ParameterValidationError);
    expect(error.issues.map((i) => i.path)).toEqual(["parameters.limit", "parameters.tags[0]"]);
    expect(error.message).toMatch(/^ParameterValidationError: invalid parameters for flow "etl-flow": parameters\.limit: /);
  });

  it("works with any Standard Schema, not only zod", async () => {
    const positive: StandardSchemaV1<{ n: number }> = {
      "~standard": {
        version: 1,
        vendor: "handmade",
        validate: (v) =>
          typeof (v as { n?: unknown }).n === "number" && (v as { n: number }).n > 0
            ? { value: v as { n: number } }
            : { issues: [{ message: "must be a positive number", path: [{ key: "n" }] }] },
      },
    };
    expect(await validateParameters("f", positive, { n: 1 })).toEqual({ n: 1 });
    await expect(validateParameters("f", positive, { n: -1 })).rejects.toThrow(/parameters\.n: must be a positive number/);
    await expect(validateParameters("f", undefined, [1])).rejects.toBeInstanceOf(ParameterValidationError);
  });
});
