import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("..", import.meta.url));

/** Where a flow run's state history may be written: the road, and the three places that create runs (their first state). */
const MAY_WRITE_FLOW_RUN_STATES = new Set([
  "orchestration/road.ts",
  "flow-runs/repository.ts", // createFlowRun
  "deployments/insert-run.ts", // a deployment's run
  "services/schedule-writes.ts", // a schedule's runs
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "migrations" ? [] : sources(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

describe("one road for every flow-run state change", () => {
  it("no module but the road writes a flow run's state history after the run is created", () => {
    const writers = sources(SRC)
      .filter((path) => /insertStates\([^)]*FLOW_RUN_STATES/.test(readFileSync(path, "utf8")))
      .map((path) => relative(SRC, path).replaceAll("\\", "/"));
    expect(writers.filter((path) => !MAY_WRITE_FLOW_RUN_STATES.has(path))).toEqual([]);
    expect(writers).toContain("orchestration/road.ts");
  });
});
