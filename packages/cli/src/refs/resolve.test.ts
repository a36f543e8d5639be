import { describe, expect, it } from "vitest";
import { resolveRef, type RefLookup, type RefMatch } from "./resolve.js";

const IDS = ["0190c0de-aaaa-7000-8000-000000000001", "0190c0de-bbbb-7000-8000-000000000002", "0190ffff-cccc-7000-8000-000000000003"];
const NAMES: Record<string, string> = { [IDS[0]!]: "crimson-fox", [IDS[1]!]: "crimson-fox", [IDS[2]!]: "quiet-owl" };

/** The lookup a server answers, over three IDs; two share a name and an 8-character prefix. */
const lookup: RefLookup = {
  what: "flow run",
  byIdPrefix: async (prefix) => IDS.filter((id) => id.startsWith(prefix)).map(match),
  byName: async (name) => IDS.filter((id) => NAMES[id] === name).map(match),
  notFound: (ref) => new Error(`nothing is ${ref}`),
};
function match(id: string): RefMatch {
  return { id, label: `${id}  ${NAMES[id]}` };
}

describe("resolveRef", () => {
  it("takes a full ID as is, a unique prefix of 8+ characters, or a unique name", async () => {
    expect(await resolveRef("0190C0DE-AAAA-7000-8000-000000000001", lookup)).toBe(IDS[0]);
    expect(await resolveRef("0190ffff", lookup)).toBe(IDS[2]);
    expect(await resolveRef("0190c0de-b", lookup)).toBe(IDS[1]);
    expect(await resolveRef("quiet-owl", lookup)).toBe(IDS[2]);
  });

  it("lists what an ambiguous prefix or name matched", async () => {
    await expect(resolveRef("0190c0de", lookup)).rejects.toThrow(/AmbiguousReference: "0190c0de" matches 2 flow runs; give more characters of the ID:\n {2}0190c0de-aaaa-.* crimson-fox\n {2}0190c0de-bbbb-/);
    await expect(resolveRef("crimson-fox", lookup)).rejects.toThrow(/matches 2 flow runs; give the full ID \(or a longer prefix\)/);
  });

  it("a prefix shorter than 8 characters is a name; nothing matching is the lookup's error", async () => {
    await expect(resolveRef("0190c0d", lookup)).rejects.toThrow("nothing is 0190c0d");
    await expect(resolveRef("ghost", lookup)).rejects.toThrow("nothing is ghost");
  });
});
