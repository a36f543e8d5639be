import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

const TOKEN = `crm-${randomBytes(12).toString("hex")}`;
const OTHER = `other-${randomBytes(12).toString("hex")}`;

/**
 * getVariable and getSecret in flow code (issue 16 part 4), through a real process worker with
 * authentication on: the run reads with its run token, a secret in its scope that its deployment
 * never names is read and masked, one out of scope is refused with the scope and the fix
 * (test/fixtures/worker/flows/values.ts logs each answer).
 */
describe.each(DATABASE_KINDS)("variables and secrets in flow code (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    await t.client.call("setVariable", { params: { name: "crm-settings" }, body: { value: { batch: 50, region: "eu" } } });
    await t.client.call("setSecret", { params: { name: "crm-token" }, body: { value: TOKEN, work_pools: ["values-pool"], deployments: ["reads-values/*"] } });
    await t.client.call("setSecret", { params: { name: "other-team-token" }, body: { value: OTHER, work_pools: ["other-pool"] } });
  }, 60_000);
  afterAll(async () => t?.close());

  test("a variable typed by a zod schema, a secret in scope (masked), a secret out of scope refused with a clear error", async () => {
    await t.client.call("createWorkPool", { body: { name: "values-pool", type: "process" } });
    const worker = startWorkerProcess(t, { pool: "values-pool", type: "process", pollWaitSeconds: 2 });
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "reads-values", name: "code", entrypoint: "flows/values.ts:readsValues", pull_steps: [], work_pool_name: "values-pool", job_variables: { working_dir: WORKER_FIXTURE } },
      });
      const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
      const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"]);
      const logs = await runLogs(t.client, run.id);
      expect(done.state_type, `${done.state.message ?? ""}\n${logs.join("\n")}`).toBe("COMPLETED");
      const answer = (what: string) => logs.find((l) => l.startsWith(`${what}: `))?.slice(what.length + 2);
      expect(answer("batch")).toBe("100 region: eu");
      expect(answer("untyped")).toBe('{"batch":50,"region":"eu"}');
      expect(answer("missing with default")).toBe("fallback");
      expect(answer("wrong type")).toContain('VariableInvalid: VariableInvalid: getVariable("crm-settings"): variable crm-settings.batch:');
      expect(answer("missing variable")).toContain('there is no variable "no-such-variable"; create it with baton variable set no-such-variable');
      // The secret was read (its length came back from the task) and masked wherever it was logged.
      expect(answer("the token is")).toBe("****");
      expect(answer("token length in task")).toBe(String(TOKEN.length));
      expect(logs.join("\n")).toContain("task sees the token: ****");
      expect(answer("out of scope")).toBe(
        'SecretOutOfScope: SecretOutOfScope: getSecret("other-team-token"): secret "other-team-token" may be used by work pools [other-pool] and deployments [*], not by deployment reads-values/code in work pool values-pool; ' +
          "an admin widens its scope with baton secret set other-team-token --keep-value --pool values-pool --deployment reads-values/code",
      );
      expect(answer("missing secret")).toContain('SecretNotFound: SecretNotFound: getSecret("never-set"): there is no secret "never-set"');
      for (const text of [logs.join("\n"), worker.output()]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(OTHER);
      }
      expect(worker.output()).toContain("printed token ****");
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
