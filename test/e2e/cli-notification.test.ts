import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { startHttpReceiver } from "../helpers/receivers.js";
import { deployProject, startCliServer, type CliServer } from "./deploy-server.js";

const BATON_YAML = `deployments:
  - name: etl
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: auto-cli }
  - name: slow
    entrypoint: flows/etl.ts:slowFlow
    work_pool: { name: auto-cli }
`;

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

// The CLI only calls the API, the same on either database: one kind is enough here.
describe("baton notification against a server", () => {
  let server: CliServer;
  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    server = await startCliServer("sqlite");
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  }, SLOW);

  it("creates a rule with its URL and secret from the environment, lists it masked, sends a signed test, shows the delivery log, deletes it", async () => {
    const env = { HOOK_URL: `${receiver.url}/cli/very-secret-path`, HOOK_SECRET: "hmac-from-env" };
    const created = await server.baton(["notification", "create", "cli-hook", "--on", "failed,late", "--deployment", "etl/nightly", "--webhook", "env:HOOK_URL", "--hmac-secret", "env:HOOK_SECRET"], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created notification rule 'cli-hook': FAILED, LATE of deployment etl/nightly -> webhook");

    const table = await server.baton(["notification", "ls"]);
    expect(table.stdout).toMatch(/^NAME\s+ON\s+RUNS\s+TARGET\s+ENABLED$/m);
    expect(table.stdout).toMatch(/^cli-hook\s+FAILED,LATE\s+deployment etl\/nightly\s+webhook http:\/\/127\.0\.0\.1:\d+\/\.\.\.\s+yes$/m);
    const json = await server.json<unknown[]>(["notification", "ls"]);
    for (const text of [table.stdout, JSON.stringify(json)]) {
      expect(text).not.toContain("very-secret-path");
      expect(text).not.toContain("hmac-from-env");
    }

    const test = await server.baton(["notification", "send-test", "cli-hook"]);
    expect(test.code, test.stderr).toBe(0);
    const got = await waitFor(() => receiver.received.find((r) => r.path === "/cli/very-secret-path"), "the test message");
    expect(got.headers["x-baton-signature"]).toBe(`sha256=${createHmac("sha256", "hmac-from-env").update(got.body).digest("hex")}`);
    const log = await waitFor(async () => {
      const r = await server.baton(["notification", "deliveries", "--rule", "cli-hook"]);
      return /\sdelivered\s+1\s/.test(r.stdout) ? r.stdout : undefined;
    }, "the delivered line", 60_000);
    expect(log).toMatch(/^CREATED\s+RULE\s+EVENT\s+FLOW RUN\s+STATUS\s+ATTEMPTS\s+LAST ERROR$/m);
    expect(log).toMatch(/cli-hook\s+TEST\s+-\s+delivered\s+1\s+-/);

    expect((await server.baton(["notification", "disable", "cli-hook"])).stdout).toContain("Disabled notification rule 'cli-hook'");
    expect((await server.json<{ enabled: boolean }>(["notification", "inspect", "cli-hook"])).enabled).toBe(false);
    expect((await server.baton(["notification", "delete", "cli-hook", "--yes"])).stdout).toContain("Deleted notification rule 'cli-hook'");
    const gone = await server.baton(["notification", "delete", "cli-hook", "--yes"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('NotificationRuleNotFound: no notification rule named "cli-hook"');
  }, SLOW);

  it("says what is wrong with a bad state, a missing target, two targets or an unset variable", async () => {
    const badState = await server.baton(["notification", "create", "x", "--on", "failed,broken", "--slack", "http://127.0.0.1:1/x"]);
    expect(badState.code).not.toBe(0);
    expect(badState.stderr).toContain('--on "broken": not a state a rule can watch');
    const none = await server.baton(["notification", "create", "x", "--on", "failed"]);
    expect(none.stderr).toContain("give a target: --webhook URL, --slack URL, --teams URL or --email-to ADDRESS");
    const two = await server.baton(["notification", "create", "x", "--on", "failed", "--slack", "http://127.0.0.1:1/x", "--teams", "http://127.0.0.1:1/y"]);
    expect(two.stderr).toContain("give one target, not --slack and --teams");
    const unset = await server.baton(["notification", "create", "x", "--on", "failed", "--slack", "env:NOT_SET_ANYWHERE"]);
    expect(unset.stderr).toContain("the environment variable NOT_SET_ANYWHERE is not set");
    const badUrl = await server.baton(["notification", "create", "x", "--on", "failed", "--teams", "not a url"]);
    expect(badUrl.stderr).toContain("body.target.url");
  }, SLOW);

  it("baton automation: create with a trigger, actions and a parameter from the triggering run, list, pause, resume, delete", async () => {
    const missing = await server.baton(["automation", "create", "cleanup", "--on", "failed", "--run-deployment", "etl/cleanup"]);
    expect(missing.stderr).toContain('body.actions.0.deployment: no deployment "etl/cleanup"');
    const project = await deployProject(server, BATON_YAML, "auto-cli");
    project.remove();
    expect((await server.baton(["notification", "create", "ops", "--on", "failed", "--slack", "http://127.0.0.1:9/x", "--disabled"])).code).toBe(0);
    const created = await server.baton(["automation", "create", "cleanup", "--on", "failed,crashed", "--deployment", "slow-flow/slow", "--run-deployment", "etl-flow/etl", "--param", "failed_run={{ flow_run.id }}", "--param", "retries=2", "--notify", "ops"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created automation 'cleanup': on FAILED,CRASHED -> run_deployment etl-flow/etl; notify ops");
    const json = await server.json<{ trigger: unknown; actions: unknown[] }>(["automation", "inspect", "cleanup"]);
    expect(json.trigger).toEqual({ type: "state", states: ["FAILED", "CRASHED"], match: { flows: [], deployments: ["slow-flow/slow"], tags: [], work_pools: [] } });
    expect(json.actions[0]).toEqual({ type: "run_deployment", deployment: "etl-flow/etl", parameters: { failed_run: "{{ flow_run.id }}", retries: 2 } });
    const long = await server.baton(["automation", "create", "too-long", "--running-longer-than", "2h", "--flow", "etl", "--cancel-run"]);
    expect(long.stdout).toContain("Created automation 'too-long': running > 7200s -> cancel_run");
    const table = await server.baton(["automation", "ls"]);
    expect(table.stdout).toMatch(/^NAME\s+TRIGGER\s+ACTIONS\s+ENABLED$/m);
    expect(table.stdout).toMatch(/^too-long\s+running > 7200s\s+cancel_run\s+yes$/m);
    expect((await server.baton(["automation", "pause", "too-long"])).stdout).toContain("Paused automation 'too-long'");
    expect((await server.json<{ enabled: boolean }>(["automation", "inspect", "too-long"])).enabled).toBe(false);
    expect((await server.baton(["automation", "resume", "too-long"])).stdout).toContain("Resumed automation 'too-long'");
    expect((await server.baton(["automation", "firings"])).stdout + (await server.baton(["automation", "firings"])).stderr).toContain("No firings yet");
    for (const name of ["cleanup", "too-long"]) expect((await server.baton(["automation", "delete", name, "--yes"])).code).toBe(0);
    const badDuration = await server.baton(["automation", "create", "x", "--running-longer-than", "2 hours", "--cancel-run"]);
    expect(badDuration.stderr).toContain('--running-longer-than "2 hours": give a number and a unit');
    const noAction = await server.baton(["automation", "create", "x", "--on", "failed"]);
    expect(noAction.stderr).toContain("give at least one action");
  }, SLOW);
});
