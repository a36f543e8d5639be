import { describe, expect, it } from "vitest";
import { ROUTE_PATHS } from "./route-paths.js";
import { routes } from "./routes.js";

describe("ROUTE_PATHS", () => {
  it("has the method and path of every route of the table, and nothing else (else run node scripts/route-paths.mjs)", () => {
    const fromTable = Object.fromEntries(Object.entries(routes).map(([name, route]) => [name, [route.method, route.path]]));
    expect(ROUTE_PATHS).toEqual(fromTable);
  });
});
