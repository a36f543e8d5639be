import { describe, expect, it } from "vitest";
import { encodeSpareRequest, parseSpareRequest, SpareRequestInvalid } from "./spare-protocol.js";

describe("the spare request line", () => {
  it("comes back as it was sent", () => {
    const request = { argv: ["node", "baton", "flow-run", "execute", "id"], env: { HOME: "/h", EMPTY: "" }, cwd: "/work", umask: 0o022 };
    expect(parseSpareRequest(encodeSpareRequest(request).trimEnd())).toEqual(request);
  });

  it.each([
    ["not JSON", "{", /is not JSON/],
    ["an array", "[]", /is not an object/],
    ["a short argv", JSON.stringify({ argv: ["node"], env: {}, cwd: "/", umask: 18 }), /argv/],
    ["an env with a number", JSON.stringify({ argv: ["a", "b"], env: { A: 1 }, cwd: "/", umask: 18 }), /env/],
    ["an empty cwd", JSON.stringify({ argv: ["a", "b"], env: {}, cwd: "", umask: 18 }), /cwd/],
    ["a umask out of range", JSON.stringify({ argv: ["a", "b"], env: {}, cwd: "/", umask: 0o1000 }), /umask/],
    ["a fractional umask", JSON.stringify({ argv: ["a", "b"], env: {}, cwd: "/", umask: 1.5 }), /umask/],
  ])("refuses %s, saying what is wrong", (_, line, reason) => {
    expect(() => parseSpareRequest(line)).toThrow(SpareRequestInvalid);
    expect(() => parseSpareRequest(line)).toThrow(reason);
  });
});
