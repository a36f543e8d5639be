import { routes } from "@baton/core";
import { expect, test } from "vitest";
import { UI_ROUTES } from "./routes";

test("every route the UI calls is core's route of that name, with its method and path", () => {
  for (const [name, route] of Object.entries(UI_ROUTES)) {
    const core = (routes as Record<string, { method: string; path: string } | undefined>)[name];
    expect(core && { method: core.method, path: core.path }, name).toEqual(route);
  }
});
