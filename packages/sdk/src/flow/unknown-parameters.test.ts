import { describe, expect, it } from "vitest";
import { z } from "zod";
import { closeParameterSchema, unknownParameterIssues } from "@baton/core";
import { parameterJsonSchema } from "../definition/json-schema.js";
import { validateParameters } from "../definition/parameters.js";

const params = z.object({ limit: z.number().default(3), uppercase: z.boolean().default(true), target: z.object({ table: z.string() }).optional() });

describe("a parameter the flow does not declare", () => {
  it("is refused, naming the flow's parameters, instead of being dropped for the default", async () => {
    await expect(validateParameters("etl", params, { limt: 5 })).rejects.toThrow(/parameters\.limt: "limt" is not a parameter here; the parameters are limit, uppercase, target/);
    await expect(validateParameters("etl", params, { target: { table: "t", tabel: "u" } })).rejects.toThrow(/parameters\.target\.tabel: "tabel" is not a parameter here; the parameters are table/);
    await expect(validateParameters("etl", params, { limit: 5 })).resolves.toEqual({ limit: 5, uppercase: true });
  });

  it("passes through where the schema says extra keys are welcome", async () => {
    await expect(validateParameters("loose", z.looseObject({ a: z.number() }), { a: 1, extra: 2 })).resolves.toEqual({ a: 1, extra: 2 });
    await expect(validateParameters("pass", z.object({ a: z.number() }).passthrough(), { a: 1, extra: 2 })).resolves.toEqual({ a: 1, extra: 2 });
    await expect(validateParameters("catch", z.object({ a: z.number() }).catchall(z.string()), { a: 1, extra: "x" })).resolves.toEqual({ a: 1, extra: "x" });
    await expect(validateParameters("record", z.object({ tags: z.record(z.string(), z.string()) }), { tags: { any: "key" } })).resolves.toEqual({ tags: { any: "key" } });
  });

  it("the published JSON Schema says the same, so the server and forms refuse it too", () => {
    const json = parameterJsonSchema(params)!;
    expect(json.additionalProperties).toBe(false);
    expect((json.properties as Record<string, { anyOf?: unknown; additionalProperties?: unknown }>).target).toMatchObject({ additionalProperties: false });
    expect(parameterJsonSchema(z.looseObject({ a: z.number() }))!.additionalProperties).toEqual({});
  });

  it("leaves the members of an intersection open: each one sees only part of the object", () => {
    const json = closeParameterSchema({ allOf: [{ type: "object", properties: { a: { type: "number" } } }, { type: "object", properties: { b: { type: "number" } } }] });
    for (const member of json.allOf as Array<Record<string, unknown>>) expect(member.additionalProperties).toBeUndefined();
    expect(unknownParameterIssues(json, { a: 1, b: 2 })).toEqual([]);
  });
});
