import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";

/** A run keeps the W3C traceparent its creation carried (issue 15 part 5), on SQLite and PostgreSQL. */
describe.each(DATABASE_KINDS)("a flow run's trace context on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(async () => app?.cleanup());

  const create = async (traceparent?: string) => {
    const answer = await app.app.inject({ method: "POST", url: "/api/flow_runs", payload: { flow_name: "traced" }, headers: traceparent ? { traceparent } : {} });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<{ id: string; traceparent: string | null }>();
  };

  it("keeps a valid traceparent on the run and answers it when the run is read", async () => {
    const header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const run = await create(header);
    expect(run.traceparent).toBe(header);
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.traceparent).toBe(header);
  });

  it("ignores a missing or invalid one (all-zero ids, another version, junk), as the W3C spec says", async () => {
    expect((await create()).traceparent).toBeNull();
    for (const bad of ["00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "not a trace"]) {
      expect((await create(bad)).traceparent).toBeNull();
    }
  });
});
