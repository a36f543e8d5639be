import { describe, expect, it } from "vitest";
import { hashInputs } from "./keys.js";
import { taskInputHash } from "../task/cache-keys.js";

const shared = { x: 1 };
class Point {
  constructor(public x: number, public y: number) {}
}
const cyclic = (): unknown => {
  const o: Record<string, unknown> = { name: "node" };
  o.self = o;
  return o;
};

// Each pair: two different inputs that a JSON-based key once mapped to one cache entry.
const mustDiffer: [string, unknown, unknown][] = [
  ["a Date and its ISO string", new Date("2026-01-01T00:00:00Z"), "2026-01-01T00:00:00.000Z"],
  ["a BigInt and its digits", 1n, "1"],
  ["a number and its digits", 1, "1"],
  ["NaN and the string NaN", NaN, "NaN"],
  ["Infinity and -Infinity", Infinity, -Infinity],
  ["0 and -0", 0, -0],
  ["undefined and null", undefined, null],
  ["a field set to undefined and no field", { a: undefined }, {}],
  ["a Map and its entry list", new Map([["a", 1]]), [["a", 1]]],
  ["a Set and its array", new Set([1, 2]), [1, 2]],
  ["a shared object and the string [Circular]", [shared, shared], [shared, "[Circular]"]],
  ["a shared object and a different second object", [shared, shared], [shared, { x: 2 }]],
  ["a function and its JSON shadow", function f() {}, "[function]"],
  ["an Error and its serialized fields", new Error("boom"), { name: "Error", message: "boom" }],
  ["a Uint8Array and an object of its indexes", new Uint8Array([1, 2]), { 0: 1, 1: 2 }],
  ["a class instance and a plain object", new Point(1, 2), { x: 1, y: 2 }],
  ["a cycle and an object holding the string [Circular]", cyclic(), { name: "node", self: "[Circular]" }],
  ["a RegExp and an empty object", /a+/g, {}],
  ["a Buffer and a Uint8Array of the same bytes", Buffer.from([1]), new Uint8Array([1])],
  ["an array and a string of its items", ["a", "b"], "a,b"],
];

const mustMatch: [string, unknown, unknown][] = [
  ["objects with their keys in another order", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }],
  ["Maps with their entries in another order", new Map([["a", 1], ["b", 2]]), new Map([["b", 2], ["a", 1]])],
  ["a shared object and two equal copies", [shared, shared], [{ x: 1 }, { x: 1 }]],
  ["two equal Dates", new Date(5), new Date(5)],
  ["two equal cycles", cyclic(), cyclic()],
];

describe("task input hashes", () => {
  it.each(mustDiffer)("%s never share a key", (_, a, b) => {
    expect(hashInputs([a])).not.toBe(hashInputs([b]));
    const context = { taskName: "t", flowRunId: "r", flowRunName: "n", flowName: "f", parameters: {} };
    expect(taskInputHash(context, [a])).not.toBe(taskInputHash(context, [b]));
  });

  it.each(mustMatch)("%s share a key", (_, a, b) => {
    expect(hashInputs([a])).toBe(hashInputs([b]));
  });

  it("counts at least twelve distinct pairs", () => {
    expect(mustDiffer.length).toBeGreaterThanOrEqual(12);
  });
});
