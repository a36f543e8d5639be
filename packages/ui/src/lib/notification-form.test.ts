import { describe, expect, test } from "vitest";
import { checkRuleDraft, emptyRuleDraft } from "./notification-form";

describe("the new notification rule form's check (core's schema)", () => {
  test("an empty draft names what is missing under its field", () => {
    const check = checkRuleDraft(emptyRuleDraft());
    expect(check.body).toBeUndefined();
    expect(check.problems.name).toBeTruthy();
    expect(check.problems.url).toMatch(/must be a URL/);
  });

  test("a right draft becomes the API's body, lists split on commas", () => {
    const check = checkRuleDraft({ ...emptyRuleDraft(), name: "ops", url: " https://hooks.example.com/x ", hmacSecret: "a-long-secret", deployments: "etl/nightly, etl/hourly", tags: "" });
    expect(check.problems).toEqual({});
    expect(check.body).toEqual({
      name: "ops",
      states: ["FAILED", "CRASHED"],
      match: { flows: [], deployments: ["etl/nightly", "etl/hourly"], tags: [], work_pools: [] },
      target: { type: "webhook", url: "https://hooks.example.com/x", hmac_secret: "a-long-secret" },
    });
  });

  test("a short signing secret, no state and a non-http URL are each reported", () => {
    const check = checkRuleDraft({ ...emptyRuleDraft(), name: "ops", states: [], url: "ftp://example.com/x", hmacSecret: "short" });
    expect(check.problems).toMatchObject({ states: expect.stringMatching(/at least one/), url: expect.stringMatching(/http/), hmacSecret: expect.stringMatching(/at least 8/) });
  });
});
