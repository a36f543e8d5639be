import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("flows on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("registers a flow by name once, whoever asks first", async () => {
    const answers = await Promise.all([1, 2, 3].map(() => app.api("POST", "/flows", { name: "etl-flow" })));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers[0]!.body).toMatchObject({ name: "etl-flow", tags: [] });
    expect((await app.api("GET", `/flows/${answers[0]!.body.id}`)).body.name).toBe("etl-flow");
  });

  it("lists flows by name, a page at a time, and narrows by a part of the name", async () => {
    for (const name of ["alpha_1", "alpha-2", "beta"]) expect((await app.api("POST", "/flows", { name })).status).toBe(200);
    const first = await app.api("GET", "/flows?limit=2");
    const rest = await app.api("GET", `/flows?limit=100&cursor=${first.body.next_cursor}`);
    const names = [...first.body.items, ...rest.body.items].map((f: { name: string }) => f.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["alpha_1", "alpha-2", "beta", "etl-flow"]));
    // `_` and `%` are matched as themselves, not as wildcards.
    expect((await app.api("GET", "/flows?name=a_1")).body.items.map((f: { name: string }) => f.name)).toEqual(["alpha_1"]);
    expect((await app.api("GET", "/flows?name=lpha")).body.items).toHaveLength(2);
  });

  it("refuses names that would not work in URLs and references", async () => {
    const answer = await app.api("POST", "/flows", { name: "../etc" });
    expect(answer).toMatchObject({ status: 422, body: { issues: [{ path: "body.name" }] } });
  });
});
