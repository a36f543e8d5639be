import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { createTestDatabase, DATABASE_KINDS } from "../helpers/databases.js";
import { waitFor } from "../helpers/cli.js";
import { startHttpReceiver } from "../helpers/receivers.js";
import { startServerProcess } from "./harness.js";

const ENV = { BATON_SERVER_NOTIFICATION_RETRY_SECONDS: "0.3", BATON_UI_URL: "http://ui.example" };

describe.each(DATABASE_KINDS)("the notification outbox on %s", (kind) => {
  test("a server SIGKILLed before a Cancelled run's notification got through delivers it after its restart", async () => {
    const db = await createTestDatabase(kind);
    const receiver = await startHttpReceiver();
    const server = await startServerProcess(db.url, ENV);
    try {
      receiver.status = 503;
      await server.client.call("createNotificationRule", { body: { name: "cancelled", states: ["CANCELLED"], target: { type: "webhook", url: `${receiver.url}/cancelled` } } });
      const run = await server.client.call("createFlowRun", { body: { flow_name: "outbox" } });
      await server.client.call("cancelFlowRun", { params: { id: run.id } });
      const refused = await waitFor(async () => (await server.client.call("listNotificationDeliveries", { query: { flow_run_id: run.id } })).items.find((d) => d.attempts >= 1 && d.last_error), "a refused attempt");
      expect(refused.status).toBe("pending");
      await server.kill();
      receiver.status = 200;
      const before = receiver.received.length;
      await server.start();
      // A kill in the middle of an attempt leaves the delivery leased for 60 s: allow for it.
      const done = await waitFor(async () => (await server.client.call("listNotificationDeliveries", { query: { flow_run_id: run.id } })).items.find((d) => d.status === "delivered"), "the delivery after the restart", 120_000);
      expect(done.id).toBe(refused.id);
      const after = receiver.received.slice(before);
      expect(after).toHaveLength(1);
      expect(JSON.parse(after[0]!.body)).toMatchObject({ event: "CANCELLED", flow_run: { id: run.id, flow_name: "outbox" }, url: `http://ui.example/runs/${run.id}` });
    } finally {
      await server.close();
      await receiver.close();
      await db.drop();
    }
  }, 180_000);
});

describe("two server replicas on one PostgreSQL", () => {
  test("each delivery is sent once, by one replica", async () => {
    const db = await createTestDatabase("postgresql");
    const receiver = await startHttpReceiver();
    const shared = { ...ENV, BATON_SERVER_ENCRYPTION_KEY: randomBytes(32).toString("hex") };
    const a = await startServerProcess(db.url, shared);
    const b = await startServerProcess(db.url, shared, a.apiKey);
    try {
      await a.client.call("createNotificationRule", { body: { name: "both", states: ["CANCELLED"], target: { type: "webhook", url: `${receiver.url}/both` } } });
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const client = i % 2 === 0 ? a.client : b.client;
        const run = await client.call("createFlowRun", { body: { flow_name: "replicas" } });
        await client.call("cancelFlowRun", { params: { id: run.id } });
        ids.push(run.id);
      }
      await waitFor(async () => {
        const items = (await a.client.call("listNotificationDeliveries", { query: { rule: "both", status: "delivered", limit: 100 } })).items;
        return items.length === ids.length || undefined;
      }, "every delivery", 60_000);
      const runs = receiver.received.map((r) => JSON.parse(r.body).flow_run.id as string);
      expect(runs.sort()).toEqual([...ids].sort());
      const deliveries = (await a.client.call("listNotificationDeliveries", { query: { rule: "both", limit: 100 } })).items;
      expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await receiver.close();
      await db.drop();
    }
  }, 180_000);
});
