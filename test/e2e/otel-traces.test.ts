import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  status: { code?: number };
  service: unknown;
}

/** OTLP/JSON ids are hex; an exporter that sends base64 gets them turned into hex here. */
const hex = (id: string | undefined) => (!id ? "" : /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, "base64").toString("hex"));
const flat = (attributes: { key: string; value: Record<string, unknown> }[] = []) => Object.fromEntries(attributes.map((a) => [a.key, Object.values(a.value)[0]]));

/** A real OTLP/HTTP receiver: records every span POSTed to /v1/traces (JSON). */
function startReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[]; contentTypes: string[]; errors: string[] }> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const errors: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      try {
        record(body, String(req.headers["content-type"]));
      } catch (error) {
        errors.push(String(error));
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  const record = (body: string, contentType: string) => {
    contentTypes.push(contentType);
    const payload = JSON.parse(body) as { resourceSpans: { resource: { attributes: never[] }; scopeSpans: { spans: Record<string, never>[] }[] }[] };
    for (const rs of payload.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          spans.push({
            traceId: hex(s.traceId),
            spanId: hex(s.spanId),
            parentSpanId: hex(s.parentSpanId),
            name: s.name,
            attributes: flat(s.attributes),
            events: ((s.events ?? []) as { name: string; attributes: never[] }[]).map((e) => ({ name: e.name, attributes: flat(e.attributes) })),
            status: s.status ?? {},
            service: flat(rs.resource.attributes)["service.name"],
          });
        }
      }
    }
  };
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${address.port}`, spans, contentTypes, errors });
  }));
}

// Tracing happens in the flow's own process, whatever the server's database: one kind is enough.
// A run inherits nothing from its worker's environment: OTEL_* reach it through the deployment's env.
describe("OpenTelemetry traces of a deployment run through a process worker", () => {
  let t: TestServer;
  let worker: WorkerProcess;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let deploymentId: string;
  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer("sqlite");
    worker = startWorkerProcess(t, { pool: "traced", type: "process", pollWaitSeconds: 2, heartbeatSeconds: 1 });
    await worker.waitForEvent("started");
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "traced", name: "local", entrypoint: "flows/traced.ts:traced", pull_steps: [], work_pool_name: "traced", job_variables: { working_dir: WORKER_FIXTURE, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "nightly-etl" } } },
    });
    deploymentId = deployment.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    receiver?.server.close();
  });

  test("the run is a span under the creator's traceparent; task runs are its children, the subflow a child of the caller, with states, retries and ids", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const creatorSpan = "00f067aa0ba902b7";
    const answer = await fetch(`${t.apiUrl}/deployments/${deploymentId}/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json", traceparent: `00-${traceId}-${creatorSpan}-01` },
      body: "{}",
    });
    expect(answer.status).toBe(201);
    const run = (await answer.json()) as { id: string; traceparent: string };
    expect(run.traceparent).toBe(`00-${traceId}-${creatorSpan}-01`);
    const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");

    const spans = await waitFor(() => {
      const mine = receiver.spans.filter((s) => s.traceId === traceId);
      return mine.length >= 4 ? mine : undefined;
    }, `four spans of trace ${traceId}; received ${JSON.stringify(receiver.spans.map((s) => s.name))}; worker output:\n${worker.output().slice(-6000)}`);
    expect(receiver.errors).toEqual([]);
    expect(receiver.contentTypes).toContain("application/json");
    const byName = (name: string) => spans.filter((s) => s.name === name);
    expect(spans.map((s) => s.name).sort()).toEqual(["flow traced", "flow traced-child", "task flaky", "task inner"]);

    const root = byName("flow traced")[0]!;
    expect(root.parentSpanId).toBe(creatorSpan);
    expect(root.service).toBe("nightly-etl");
    expect(root.attributes, JSON.stringify(root)).toMatchObject({ "baton.flow_run.id": run.id, "baton.flow.name": "traced", "baton.deployment.id": deploymentId, "baton.deployment.name": "local", "baton.work_pool.name": "traced", "baton.state.type": "COMPLETED" });
    expect(root.events.map((e) => e.name)).toContain("state Running");
    expect(root.status.code).toBe(1); // OK

    const flaky = byName("task flaky")[0]!;
    expect(flaky.parentSpanId).toBe(root.spanId);
    expect(flaky.attributes).toMatchObject({ "baton.task.name": "flaky", "baton.flow_run.id": run.id, "baton.attempts": 2 });
    expect(flaky.events.map((e) => e.name)).toEqual(["state Running", "retry", "state Retrying", "state Completed"]);
    expect(String(flaky.events[1]!.attributes["baton.state.message"])).toContain("first attempt fails");

    const child = byName("flow traced-child")[0]!;
    expect(child.parentSpanId).toBe(root.spanId);
    expect(child.attributes["baton.parent_flow_run.id"]).toBe(run.id);
    const inner = byName("task inner")[0]!;
    expect(inner.parentSpanId).toBe(child.spanId);
    expect(inner.attributes["baton.flow_run.id"]).toBe(child.attributes["baton.flow_run.id"]);
  });
});
