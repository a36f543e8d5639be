import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { countFlowRuns } from "./count.js";

describe.each(DATABASE_KINDS)("flow run count on %s", (kind) => {
  let app: TestApp;
  const count = async (query: string) => {
    const answer = await app.api("GET", `/flow_runs/count?${query}`);
    if (answer.status !== 200) throw new Error(`${query}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as { count: number; capped: boolean };
  };
  beforeAll(async () => {
    app = await openTestApp(kind);
    for (const [name, type] of [["a", "COMPLETED"], ["b", "FAILED"], ["c", "CRASHED"], ["d", "COMPLETED"]] as const) {
      await newFlowRun(app, { flow_name: "count-flow", name, tags: name === "a" ? ["etl"] : [], state: { type } });
    }
  });
  afterAll(() => app.cleanup());

  it("counts the runs the list's filters match, several states at once", async () => {
    expect(await count("flow_name=count-flow")).toEqual({ count: 4, capped: false });
    expect(await count("flow_name=count-flow&state=FAILED,CRASHED")).toEqual({ count: 2, capped: false });
    expect(await count("flow_name=count-flow&state=Completed")).toEqual({ count: 2, capped: false });
    expect(await count("flow_name=count-flow&tag=etl")).toEqual({ count: 1, capped: false });
    expect(await count("flow_name=no-such-flow")).toEqual({ count: 0, capped: false });
  });

  it("stops counting at the cap and says so", async () => {
    expect(await countFlowRuns(app.db, { flow_name: "count-flow", upcoming: "include" }, 3)).toEqual({ count: 3, capped: true });
    expect(await countFlowRuns(app.db, { flow_name: "count-flow", upcoming: "include" }, 4)).toEqual({ count: 4, capped: false });
  });

  it("names the field of a bad filter", async () => {
    const bad = await app.api("GET", "/flow_runs/count?created_after=yesterday");
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("created_after");
  });
});
