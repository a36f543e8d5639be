import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Automation, Deployment } from "@baton/core";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

const yaml = (triggers: string) => `deployments:
  - name: load
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: default }
${triggers}`;

const FIRST = `    triggers:
      - type: state
        states: [COMPLETED]
        match: { deployments: [etl-flow/extract] }
        parameters: { limit: 1 }
      - type: no_completed_run_by
        name: load-late
        time: "07:00"
        timezone: Europe/Paris
      - type: work_pool_offline
        work_pools: [default]
        seconds: 600
      - type: not_in_state_within
        after: [PENDING]
        expect: [RUNNING]
        seconds: 300
        match: { work_pools: [default] }
`;

const SECOND = `    triggers:
      - type: state
        states: [COMPLETED]
        match: { deployments: [etl-flow/extract] }
        parameters: { limit: 1 }
      - type: no_completed_run_by
        name: load-late
        time: "08:00"
        timezone: Europe/Paris
`;

const BAD = `    triggers:
      - type: event
        match: { prefect.resource.id: my.external.resource }
        expect: [external.resource.pinged]
      - type: no_completed_run_by
        time: 7am
      - type: work_pool_offline
        work_pools: [nowhere]
        seconds: 60
      - type: no_completed_run_by
        deployment: etl-flow/none
        time: "07:00"
      - type: state
        states: [FAILED]
        schedule_after: PT2H
      - type: not_in_state_within
        after: [prefect.flow-run.Pending]
        expect: [RUNNING]
        within: 600
`;

describe.each(DATABASE_KINDS)("a deployment's triggers: in baton.yaml on %s", (kind) => {
  let server: CliServer;
  let dir: { path: string; remove(): void };
  let project: ReturnType<typeof makeProject>;

  beforeAll(async () => {
    server = await startCliServer(kind);
    dir = tempDir("baton-project-");
    project = makeProject(dir.path);
    git(project.work, "push", "-q", "origin", "main");
    expect((await server.baton(["work-pool", "create", "default", "--type", "process"])).code).toBe(0);
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  }, SLOW);

  const deploy = async (text: string) => {
    writeFileSync(join(project.work, "triggers.yaml"), text);
    return server.baton(["deploy", "--file", "triggers.yaml"], { cwd: project.work });
  };
  const automations = () => server.json<Automation[]>(["automation", "ls"]);

  it("names each bad trigger's field, Prefect's habits with Baton's way, and writes nothing", async () => {
    const r = await deploy(yaml(BAD));
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/deployments\[0\]\.triggers\[0\]\.type: "event" is not a trigger type; use state, running_longer_than, not_in_state_within, no_completed_run_by or work_pool_offline \(Prefect's event/);
    expect(r.stderr).toMatch(/deployments\[0\]\.triggers\[1\]\.time: must be HH:MM or HH:MM:SS/);
    expect(r.stderr).toMatch(/deployments\[0\]\.triggers\[2\]\.work_pools\[0\]: work pool "nowhere" does not exist/);
    expect(r.stderr).toMatch(/deployments\[0\]\.triggers\[3\]\.deployment: no deployment "etl-flow\/none"/);
    expect(r.stderr).toMatch(/deployments\[0\]\.triggers\[4\]: unknown key "schedule_after"; a trigger runs the deployment at once/);
    // Prefect's proactive trigger's habits: its event names, and `within`.
    expect(r.stderr).toMatch(/deployments\[0\]\.triggers\[5\]\.after\[0\]: "prefect\.flow-run\.Pending" is not a state type; write PENDING/);
    expect(r.stderr).toMatch(/deployments\[0\]\.triggers\[5\]: unknown key "within"; write seconds: type: not_in_state_within/);
    expect(await server.json<Deployment[]>(["deployment", "ls"])).toEqual([]);
    expect(await automations()).toEqual([]);
  }, SLOW);

  it("makes the triggers automations the deployment owns; deploying again changes nothing, a change updates, a removal deletes", async () => {
    const first = await deploy(yaml(FIRST));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/automation 'etl-flow-load-1' created/);
    expect(first.stdout).toMatch(/automation 'load-late' created/);
    expect(first.stdout).toMatch(/automation 'etl-flow-load-3' created/);
    expect(first.stdout).toMatch(/automation 'etl-flow-load-4' created/);
    const [deployment] = await server.json<Deployment[]>(["deployment", "ls"]);
    const made = await automations();
    expect(made.map((a) => a.name).sort()).toEqual(["etl-flow-load-1", "etl-flow-load-3", "etl-flow-load-4", "load-late"]);
    for (const a of made) expect(a).toMatchObject({ deployment_id: deployment!.id, enabled: true });
    expect(made.find((a) => a.name === "etl-flow-load-1")!.actions).toEqual([{ type: "run_deployment", deployment: "etl-flow/load", parameters: { limit: 1 } }]);
    // A deadline on its own deployment watches that deployment.
    expect(made.find((a) => a.name === "load-late")!.trigger).toEqual({ type: "no_completed_run_by", deployment: "etl-flow/load", time: "07:00", timezone: "Europe/Paris" });
    expect(made.find((a) => a.name === "etl-flow-load-4")!.trigger).toEqual({ type: "not_in_state_within", after: ["PENDING"], expect: ["RUNNING"], seconds: 300, match: { flows: [], deployments: [], tags: [], work_pools: ["default"] } });

    const again = await deploy(yaml(FIRST));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.match(/automation '[^']+' unchanged/g)).toHaveLength(4);
    expect(await automations()).toEqual(made);

    const changed = await deploy(yaml(SECOND));
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toMatch(/automation 'etl-flow-load-1' unchanged/);
    expect(changed.stdout).toMatch(/automation 'load-late' updated/);
    expect(changed.stdout).toMatch(/automation 'etl-flow-load-3' deleted/);
    expect(changed.stdout).toMatch(/automation 'etl-flow-load-4' deleted/);
    const late = (await automations()).find((a) => a.name === "load-late")!;
    // Updated in place: the same automation, so a firing today still counts.
    expect(late.id).toBe(made.find((a) => a.name === "load-late")!.id);
    expect(late.trigger).toMatchObject({ time: "08:00" });

    const none = await deploy(yaml(""));
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/automation 'load-late' deleted/);
    expect(await automations()).toEqual([]);
  }, SLOW);

  it("keeps its hands off an automation of the same name it does not own, and deleting the deployment deletes its own", async () => {
    const byHand = await server.baton(["automation", "create", "load-late", "--pool-offline-for", "10m", "--pause-pool", "default"]);
    expect(byHand.code, byHand.stderr).toBe(0);
    const taken = await deploy(yaml(SECOND));
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/nothing was deployed/);
    expect(taken.stderr).toMatch(/deployments\[0\]\.triggers\[1\]\.name: an automation named "load-late" exists already and this deployment does not own it/);
    expect(await automations()).toMatchObject([{ name: "load-late", deployment_id: null }]);
    expect((await server.baton(["automation", "delete", "load-late", "--yes"])).code).toBe(0);

    expect((await deploy(yaml(SECOND))).code).toBe(0);
    expect(await automations()).toHaveLength(2);
    expect((await server.baton(["deployment", "delete", "etl-flow/load", "--yes"])).code).toBe(0);
    expect(await automations()).toEqual([]);
  }, SLOW);
});
