import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ApiError } from "@baton/core";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { waitFor } from "../helpers/cli.js";
import { startHttpReceiver, startSmtpReceiver } from "../helpers/receivers.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const UI = "http://baton.example:4200";

describe.each(DATABASE_KINDS)("notifications on %s", (kind) => {
  let t: TestServer;
  let worker: WorkerProcess;
  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  const pool = `notify-${kind}`;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    t = await startTestServer(kind, { notifications: { uiUrl: UI, loopSeconds: 0.2, retryBaseSeconds: 0.2 } });
    await t.client.call("createWorkPool", { body: { name: pool, type: "process" } });
    worker = startWorkerProcess(t, { pool, type: "process", pollWaitSeconds: 2, heartbeatSeconds: 1 });
    await worker.waitForEvent("started");
    for (const [flow, name] of [["breaks", "nightly"], ["finishes", "hourly"]] as const) {
      await t.client.call("upsertDeployment", { body: { flow_name: flow, name, entrypoint: `flows/notify.ts:${flow}`, pull_steps: [], work_pool_name: pool, job_variables: { working_dir: WORKER_FIXTURE } } });
    }
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await receiver?.close();
  });

  const runOf = async (deployment: string) => {
    const d = await t.client.call("readDeploymentByName", { params: { flow: deployment === "nightly" ? "breaks" : "finishes", name: deployment } });
    return t.client.call("runDeployment", { params: { id: d.id }, body: {} });
  };
  const deliveries = async (query: Record<string, string>) => (await t.client.call("listNotificationDeliveries", { query })).items;
  const refused = async (body: unknown) => {
    const error = await t.client.call("createNotificationRule", { body: body as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  };

  test("a bad rule is a 422 naming the field; a second rule of one name is a 409", async () => {
    const target = { type: "webhook", url: `${receiver.url}/x` };
    expect((await refused({ name: "r1", states: ["BROKEN"], target })).message).toContain("body.states.0");
    expect((await refused({ name: "r1", states: ["FAILED"], target: { type: "webhook" } })).message).toContain("body.target.url");
    expect((await refused({ name: "r1", states: ["FAILED"], target: { type: "email", host: "h", from: "nope", to: ["a@b.example"] } })).message).toContain("body.target.from");
    expect((await refused({ name: "r1", states: [], target })).message).toContain("body.states");
    await t.client.call("createNotificationRule", { body: { name: "dup", states: ["FAILED"], target, enabled: false } });
    const dup = await refused({ name: "dup", states: ["FAILED"], target });
    expect(dup.status).toBe(409);
    expect(dup.message).toContain("NotificationRuleExists");
    await t.client.call("deleteNotificationRule", { params: { name: "dup" } });
  });

  test("a run that fails in a real process worker sends one signed webhook naming the run, its state, message, deployment and link", async () => {
    const secret = "s3cret-hmac-key";
    const rule = await t.client.call("createNotificationRule", {
      body: { name: `hook-${kind}`, states: ["FAILED", "CRASHED"], match: { deployments: ["breaks/nightly"] }, target: { type: "webhook", url: `${receiver.url}/hook/private-token`, hmac_secret: secret } },
    });
    // The secret parts never come back.
    expect(JSON.stringify(rule)).not.toContain("private-token");
    expect(JSON.stringify(rule)).not.toContain(secret);
    expect(rule.target).toMatchObject({ type: "webhook", url: `${receiver.url}/...`, has_hmac_secret: true });
    // A Completed run of another deployment matches nothing.
    const ok = await runOf("hourly");
    expect((await waitForState(t.client, ok.id, ["COMPLETED", "FAILED", "CRASHED"])).state_type).toBe("COMPLETED");

    const run = await runOf("nightly");
    expect((await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"])).state_type).toBe("FAILED");
    const [delivery] = await waitFor(async () => {
      const d = await deliveries({ flow_run_id: run.id });
      return d.length > 0 && d[0]!.status === "delivered" ? d : undefined;
    }, "the delivery");
    const got = receiver.received.filter((r) => r.path === "/hook/private-token");
    expect(got).toHaveLength(1);
    const { headers, body } = got[0]!;
    expect(headers["x-baton-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
    expect(headers["x-baton-delivery"]).toBe(delivery!.id);
    const sent = JSON.parse(body);
    expect(sent).toMatchObject({
      event: "FAILED",
      rule: `hook-${kind}`,
      flow_run: { id: run.id, name: run.name, flow_name: "breaks", deployment: "nightly", work_pool: pool },
      state: { type: "FAILED" },
      url: `${UI}/runs/${run.id}`,
    });
    expect(sent.state.message).toContain("the warehouse is down");
    expect(sent.text).toContain(`${UI}/runs/${run.id}`);
    expect(sent.title).toBe(`Baton: flow run ${run.name} is Failed`);
    expect(delivery).toMatchObject({ rule_name: `hook-${kind}`, event: "FAILED", attempts: 1, last_error: null, target_type: "webhook" });
    expect(await deliveries({ flow_run_id: ok.id })).toEqual([]);
    await t.client.call("deleteNotificationRule", { params: { name: `hook-${kind}` } });
  }, 90_000);

  test("a refused delivery is retried with backoff and recorded, then delivered", async () => {
    receiver.status = 503;
    await t.client.call("createNotificationRule", { body: { name: `retry-${kind}`, states: ["COMPLETED"], target: { type: "webhook", url: `${receiver.url}/retry` } } });
    const delivery = await t.client.call("testNotificationRule", { params: { name: `retry-${kind}` } });
    const failing = await waitFor(async () => (await deliveries({ rule: `retry-${kind}` })).find((d) => d.id === delivery.id && d.attempts >= 2), "two refused attempts");
    expect(failing.status).toBe("pending");
    expect(failing.last_error).toMatch(/answered 503: not now/);
    receiver.status = 200;
    const done = await waitFor(async () => (await deliveries({ rule: `retry-${kind}` })).find((d) => d.id === delivery.id && d.status === "delivered"), "the delivery after the receiver is back");
    expect(done.last_error).toBeNull();
    await t.client.call("deleteNotificationRule", { params: { name: `retry-${kind}` } });
  });

  test("Slack and Teams get their own shapes", async () => {
    await t.client.call("createNotificationRule", { body: { name: `slack-${kind}`, states: ["FAILED"], target: { type: "slack", url: `${receiver.url}/slack` }, title: "{flow_name} broke" } });
    await t.client.call("createNotificationRule", { body: { name: `teams-${kind}`, states: ["FAILED"], target: { type: "teams", url: `${receiver.url}/teams` } } });
    await t.client.call("testNotificationRule", { params: { name: `slack-${kind}` } });
    await t.client.call("testNotificationRule", { params: { name: `teams-${kind}` } });
    const slack = await waitFor(() => receiver.received.find((r) => r.path === "/slack"), "the Slack message");
    expect(JSON.parse(slack.body).text).toMatch(/^\*\(test\) broke\*\n/);
    const teams = await waitFor(() => receiver.received.find((r) => r.path === "/teams"), "the Teams message");
    const card = JSON.parse(teams.body);
    expect(card.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0].content.body[0].text).toBe("Baton: flow run (test) is Test");
    for (const name of [`slack-${kind}`, `teams-${kind}`]) await t.client.call("deleteNotificationRule", { params: { name } });
  });

  test("email goes over SMTP with the rule's login; the password never comes back", async () => {
    const smtp = await startSmtpReceiver("baton", "mail-pass-123");
    try {
      const rule = await t.client.call("createNotificationRule", {
        body: { name: `mail-${kind}`, states: ["FAILED"], target: { type: "email", host: "127.0.0.1", port: smtp.port, username: "baton", password: "mail-pass-123", from: "baton@example.com", to: ["ops@example.com"] } },
      });
      expect(JSON.stringify(rule)).not.toContain("mail-pass-123");
      expect(rule.target).toMatchObject({ has_password: true, username: "baton" });
      await t.client.call("testNotificationRule", { params: { name: `mail-${kind}` } });
      const mail = await waitFor(() => smtp.mails[0], "the email");
      expect(mail).toMatchObject({ from: "baton@example.com", to: ["ops@example.com"], user: "baton" });
      expect(mail.data).toContain("Subject: Baton: flow run (test) is Test");
      expect(mail.data).toContain("entered Test: a test of");
      await t.client.call("deleteNotificationRule", { params: { name: `mail-${kind}` } });
    } finally {
      await smtp.close();
    }
  });
});
