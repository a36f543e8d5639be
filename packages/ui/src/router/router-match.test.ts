import { expect, test } from "vitest";
import { matchPath } from "./router-match";

test("paths match patterns with :params, decoded; anything else does not", () => {
  expect(matchPath("/runs/:id", "/runs/0190abc")).toEqual({ id: "0190abc" });
  expect(matchPath("/work-pools/:name", "/work-pools/my%20pool")).toEqual({ name: "my pool" });
  expect(matchPath("/runs", "/runs/")).toEqual({});
  expect(matchPath("/", "/")).toEqual({});
  expect(matchPath("/runs/:id", "/runs")).toBeNull();
  expect(matchPath("/runs/:id", "/deployments/1")).toBeNull();
});
