import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, DeploymentSchedule, FlowRun } from "@baton/core";
import { callApi } from "../helpers/call-api.js";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/**
 * `baton deployment schedule ls | create | pause | resume | delete` (issue 22 part 3), by the real
 * binary against a real server: one schedule of each kind, the runs each makes on the server,
 * and every way a schedule or its flags can be wrong.
 */
const SLOW = 300_000;
const MISSING_ID = "0190c0de-0000-7000-8000-000000000000";
const ANCHOR = "2026-01-01T00:00:17Z";

type Created = DeploymentSchedule & { next_run_times: string[] };

/** 09:00 in Paris, whatever the offset of the day. */
const parisWallTime = (iso: string) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(new Date(iso));

describe.each(DATABASE_KINDS)("baton deployment schedule against a server on %s", (kind) => {
  let server: CliServer;
  let deploymentId: string;
  let adminKey: string | undefined;
  const made: Record<"cron" | "interval" | "rrule", Created> = {} as never;

  /** The times of the future runs a schedule has made on the server; `cutoff` is taken after the listing, so every run due after it was listed. */
  const runsOf = async (scheduleId: string): Promise<{ times: string[]; cutoff: number }> => {
    const r = await server.baton(["flow-run", "ls", "--upcoming", "--deployment", "etl/nightly", "--limit", "10000", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const cutoff = Date.now();
    const times = (JSON.parse(r.stdout) as FlowRun[]).filter((run) => run.idempotency_key?.startsWith(`scheduled:${scheduleId}:`)).map((run) => new Date(run.expected_start_time!).toISOString());
    return { times, cutoff };
  };
  /** The server has made the runs `create` said were next (those still ahead when it was asked). */
  const hasNextRuns = async (s: Created) => {
    const { times, cutoff } = await runsOf(s.id);
    const ahead = s.next_run_times.filter((t) => Date.parse(t) > cutoff);
    return ahead.every((t) => times.includes(t)) && times.length > 0;
  };
  const schedules = async () => (await server.json<DeploymentSchedule[]>(["deployment", "schedule", "ls", "etl/nightly"])).map((s) => s.id);

  beforeAll(async () => {
    server = await startCliServer(kind);
    adminKey = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())?.[1];
    expect((await server.baton(["work-pool", "create", "main", "--type", "process"])).code).toBe(0);
    const answer = await callApi(server.apiUrl, adminKey, "POST", "/deployments", { flow_name: "etl", name: "nightly", entrypoint: "flows/etl.ts:etlFlow", work_pool_name: "main" });
    expect(answer.status, answer.text).toBe(200);
    deploymentId = (await server.json<Deployment>(["deployment", "inspect", "etl/nightly"])).id;
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
  }, SLOW);

  it("creates a cron, an interval and an rrule schedule, printing each one's next 3 runs, which the server then makes", async () => {
    const empty = await server.baton(["deployment", "schedule", "ls", "etl/nightly"]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stderr).toContain("has no schedules; add one with baton deployment schedule create etl/nightly");

    const cron = await server.baton(["deployment", "schedule", "create", "etl/nightly", "--cron", "0 9 * * *", "--timezone", "Europe/Paris"]);
    expect(cron.code, cron.stderr).toBe(0);
    expect(cron.stdout).toMatch(/Created schedule [0-9a-f-]{36} of deployment 'etl\/nightly': cron "0 9 \* \* \*" \(Europe\/Paris\)/);
    const cronTimes = [...cron.stdout.matchAll(/(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC \(\d{4}-\d\d-\d\d 09:00:00 Europe\/Paris\)/g)].map((m) => `${m[1]}T${m[2]}.000Z`);
    expect(cronTimes).toHaveLength(3);
    for (const t of cronTimes) expect(parisWallTime(t)).toBe("09:00:00");
    expect(Date.parse(cronTimes[1]!) - Date.parse(cronTimes[0]!)).toBeGreaterThanOrEqual(23 * 3600_000);
    const [cronSchedule] = await server.json<DeploymentSchedule[]>(["deployment", "schedule", "ls", "etl/nightly"]);
    made.cron = { ...cronSchedule!, next_run_times: cronTimes };

    // The deployment by an ID prefix, and the result as JSON (--json, the alias of -o json).
    made.interval = await server.json<Created>(["deployment", "schedule", "create", deploymentId.slice(0, 8), "--interval", "2h", "--anchor-date", ANCHOR]);
    expect(made.interval.schedule).toMatchObject({ interval: 7200, anchor_date: ANCHOR, timezone: "UTC" });
    for (const t of made.interval.next_run_times) expect((Date.parse(t) - Date.parse(ANCHOR)) % 7_200_000).toBe(0);

    const rrule = await server.baton(["deployment", "schedule", "create", "etl/nightly", "--rrule", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=30;BYSECOND=0", "-o", "json"]);
    expect(rrule.code, rrule.stderr).toBe(0);
    made.rrule = JSON.parse(rrule.stdout) as Created;
    expect(made.rrule.next_run_times).toHaveLength(3);
    for (const t of made.rrule.next_run_times) expect(new Date(t).getUTCDay() * 10_000 + new Date(t).getUTCHours() * 100 + new Date(t).getUTCMinutes()).toBe(10_630);

    for (const s of Object.values(made)) await waitFor(() => hasNextRuns(s), `the runs of schedule ${s.id}`);
  }, SLOW);

  it("ls shows every schedule with its ID, what it fires on and its next run, as a table, JSON and YAML", async () => {
    const table = await server.baton(["deployment", "schedule", "ls", "etl/nightly"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+SCHEDULE\s+ACTIVE\s+NEXT RUN\s+PARAMETERS$/m);
    expect(table.stdout).toMatch(new RegExp(`^${made.cron.id}\\s+cron "0 9 \\* \\* \\*" \\(Europe/Paris\\)\\s+yes\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:00:00 UTC \\(\\d{4}-\\d\\d-\\d\\d 09:00:00 Europe/Paris\\)`, "m"));
    expect(table.stdout).toMatch(new RegExp(`^${made.interval.id}\\s+every 7200s \\(UTC\\)\\s+yes\\s+`, "m"));
    expect(table.stdout).toMatch(new RegExp(`^${made.rrule.id}\\s+rrule "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=30;BYSECOND=0" \\(UTC\\)\\s+yes`, "m"));
    expect(await schedules()).toEqual([made.cron.id, made.interval.id, made.rrule.id]);
    const linked = await server.baton(["deployment", "schedule", "ls", "etl/nightly"], { env: { BATON_UI_URL: "http://ui.example:4200" } });
    expect(linked.stderr).toContain(`View it in the UI: http://ui.example:4200/deployments/${deploymentId}`);
    const yaml = await server.baton(["deployment", "schedule", "ls", "etl/nightly", "-o", "yaml"]);
    expect(yaml.stdout).toContain(`- id: ${made.interval.id}`);
    const cut = await server.baton(["deployment", "schedule", "ls", "etl/nightly", "--limit", "1", "-o", "json"]);
    expect((JSON.parse(cut.stdout) as DeploymentSchedule[]).map((s) => s.id)).toEqual([made.cron.id]);
    expect(cut.stderr).toContain("Showing the first 1 of 3; show more with --limit N");
  }, SLOW);

  it("pause removes one schedule's future runs and leaves the others'; resume makes them again", async () => {
    // By a unique prefix of the schedule's ID: its first 13 characters are the millisecond it was made.
    const paused = await server.baton(["deployment", "schedule", "pause", "etl/nightly", made.interval.id.slice(0, 13)]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toContain(`Schedule ${made.interval.id} (every 7200s (UTC)) of deployment 'etl/nightly' paused; the future runs it had made were removed`);
    expect((await runsOf(made.interval.id)).times).toEqual([]);
    expect(await hasNextRuns(made.rrule)).toBe(true);
    const listed = await server.json<DeploymentSchedule[]>(["deployment", "schedule", "ls", "etl/nightly"]);
    expect(listed.find((s) => s.id === made.interval.id)?.active).toBe(false);
    expect((await server.baton(["deployment", "schedule", "ls", "etl/nightly"])).stdout).toMatch(new RegExp(`^${made.interval.id}\\s+every 7200s \\(UTC\\)\\s+paused\\s+-`, "m"));

    const resumed = await server.json<DeploymentSchedule>(["deployment", "schedule", "resume", "etl/nightly", made.interval.id]);
    expect(resumed).toMatchObject({ id: made.interval.id, active: true });
    await waitFor(() => hasNextRuns(made.interval), "the resumed schedule's runs");
  }, SLOW);

  it("delete asks first: off a terminal it needs --yes (exit 2), and with it the schedule and its future runs go", async () => {
    const refused = await server.baton(["deployment", "schedule", "delete", "etl/nightly", made.rrule.id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Delete schedule ${made.rrule.id} (rrule "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=30;BYSECOND=0" (UTC)) of deployment 'etl/nightly' and the future runs it made: not confirmed; stdin is not a terminal, so pass --yes`);
    expect(await schedules()).toContain(made.rrule.id);

    const deleted = await server.baton(["deployment", "schedule", "rm", "etl/nightly", made.rrule.id, "--yes"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Deleted schedule ${made.rrule.id} of deployment 'etl/nightly'`);
    expect(await schedules()).toEqual([made.cron.id, made.interval.id]);
    expect((await runsOf(made.rrule.id)).times).toEqual([]);
    expect(await hasNextRuns(made.cron)).toBe(true);
  }, SLOW);

  it("bad flags exit 2 naming the flag and create nothing", async () => {
    const before = await schedules();
    for (const [flags, message] of [
      [["--cron", "61 * * * *"], '--cron: "61 * * * *" is not a valid cron expression'],
      [["--interval", "soon"], '--interval: "soon" is not a number of seconds or an ISO-8601 duration'],
      [["--interval", "0"], "--interval must be longer than 0 seconds"],
      [["--rrule", "FREQ=SOMETIMES"], "--rrule: not a valid RFC 5545 rule"],
      [["--cron", "0 9 * * *", "--timezone", "Mars/Olympus"], '--timezone: "Mars/Olympus" is not an IANA time zone'],
      [["--interval", "10m", "--anchor-date", "yesterday"], "--anchor-date: must be an ISO-8601 timestamp with a time zone"],
      [["--cron", "0 9 * * *", "--interval", "1h"], "--cron and --interval cannot be used together"],
      [["--interval", "1h", "--no-day-or"], "--no-day-or goes with --cron"],
      [["--rrule", "FREQ=DAILY", "--day-or"], "--day-or goes with --cron"],
      [["--cron", "0 9 30 2 1", "--no-day-or"], '--cron: "0 9 30 2 1" never fires (no such day in 30 years); with day_or: false a day must match both day fields'],
      [["--interval", "1h", "--param", "limit"], '--param "limit" has no value; write --param limit=value'],
      [["--interval", "1h", "--params", "{limit"], "--params is not valid JSON"],
      [[], "give one of --cron, --interval or --rrule"],
    ] as const) {
      const r = await server.baton(["deployment", "schedule", "create", "etl/nightly", ...flags]);
      expect(r.code, `${flags.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(await schedules()).toEqual(before);
  }, SLOW);

  it("--no-day-or fires only on days matching both day fields; --day-or (the default) on either", async () => {
    const both = await server.json<Created>(["deployment", "schedule", "create", "etl/nightly", "--cron", "0 9 13 * 5", "--no-day-or"]);
    expect(both.schedule).toMatchObject({ cron: "0 9 13 * 5", day_or: false });
    for (const t of both.next_run_times) expect([new Date(t).getUTCDate(), new Date(t).getUTCDay()]).toEqual([13, 5]);
    const either = await server.json<Created>(["deployment", "schedule", "create", "etl/nightly", "--cron", "0 9 13 * 5", "--day-or"]);
    expect(either.schedule.day_or).toBe(true);
    for (const t of either.next_run_times) expect(new Date(t).getUTCDate() === 13 || new Date(t).getUTCDay() === 5).toBe(true);
    expect(either.next_run_times.some((t) => new Date(t).getUTCDate() !== 13 || new Date(t).getUTCDay() !== 5)).toBe(true);
    const table = await server.baton(["deployment", "schedule", "ls", "etl/nightly"]);
    expect(table.stdout).toMatch(new RegExp(`^${both.id}\\s+cron "0 9 13 \\* 5" day_or=false \\(UTC\\)\\s+yes`, "m"));
    for (const s of [both, either]) expect((await server.baton(["deployment", "schedule", "rm", "etl/nightly", s.id, "--yes"])).code).toBe(0);
  }, SLOW);

  it("--param and --params give the schedule's runs their parameters, checked against the deployment's schema (exit 1 naming the parameter)", async () => {
    // Made here, not before all: its ID would share the first 8 characters with etl/nightly's, which an earlier test gives as a prefix.
    const typed = await callApi(server.apiUrl, adminKey, "POST", "/deployments", {
      flow_name: "etl",
      name: "typed",
      entrypoint: "flows/etl.ts:etlFlow",
      work_pool_name: "main",
      parameters: { region: "us" },
      parameter_schema: { type: "object", properties: { limit: { type: "integer" }, region: { type: "string" } }, required: ["region"], additionalProperties: false },
    });
    expect(typed.status, typed.text).toBe(200);
    const created = await server.baton(["deployment", "schedule", "create", "etl/typed", "--interval", "1h", "--params", '{"limit":5,"region":"eu"}', "--param", "limit=7"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Parameters:\s+\{"limit":7,"region":"eu"\}$/m);
    const [schedule] = await server.json<DeploymentSchedule[]>(["deployment", "schedule", "ls", "etl/typed"]);
    expect(schedule!.parameters).toEqual({ limit: 7, region: "eu" });
    const runs = await waitFor(async () => {
      const r = await server.json<FlowRun[]>(["flow-run", "ls", "--upcoming", "--deployment", "etl/typed", "--limit", "5"]);
      return r.length > 0 ? r : undefined;
    }, "the runs of the schedule with parameters");
    for (const run of runs) expect(run.parameters).toEqual({ region: "eu", limit: 7 });

    for (const [flags, message] of [
      [["--param", "limit=many"], "body.parameters.limit: must be integer"],
      [["--param", "limti=5"], 'body.parameters.limti: "limti" is not a parameter of this flow; the parameters are limit, region'],
    ] as const) {
      const r = await server.baton(["deployment", "schedule", "create", "etl/typed", "--interval", "2h", ...flags]);
      expect(r.code, `${flags.join(" ")}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain("ParameterValidationError");
      expect(r.stderr).toContain(message);
    }
    expect(await server.json<DeploymentSchedule[]>(["deployment", "schedule", "ls", "etl/typed"])).toHaveLength(1);
  }, SLOW);

  it("--inactive creates the schedule paused: no runs until it is resumed", async () => {
    const created = await server.baton(["deployment", "schedule", "create", "etl/typed", "--cron", "*/5 * * * *", "--inactive"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Active:\s+paused$/m);
    expect(created.stdout).toMatch(/^Next runs:\s+- \(paused\)$/m);
    const id = /Created schedule ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
    expect(created.stderr).toContain(`The schedule is paused: it makes no runs until baton deployment schedule resume etl/typed ${id}`);
    const listed = await server.json<DeploymentSchedule[]>(["deployment", "schedule", "ls", "etl/typed"]);
    expect(listed.find((s) => s.id === id)?.active).toBe(false);
    const made = async () => (await server.json<FlowRun[]>(["flow-run", "ls", "--upcoming", "--deployment", "etl/typed", "--limit", "10000"])).filter((r) => r.idempotency_key?.startsWith(`scheduled:${id}:`));
    expect(await made()).toEqual([]);
    expect((await server.baton(["deployment", "schedule", "resume", "etl/typed", id])).code).toBe(0);
    await waitFor(async () => (await made()).length > 0 || undefined, "the runs of the resumed schedule");
  }, SLOW);

  it("a schedule or deployment that is not there exits 1 and says how to find one", async () => {
    for (const verb of ["pause", "resume", "delete"]) {
      const r = await server.baton(["deployment", "schedule", verb, "etl/nightly", MISSING_ID, ...(verb === "delete" ? ["--yes"] : [])]);
      expect(r.code, `${verb}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`DeploymentScheduleNotFound: deployment 'etl/nightly' has no schedule "${MISSING_ID}"; list its schedules with baton deployment schedule ls etl/nightly`);
    }
    const short = await server.baton(["deployment", "schedule", "pause", "etl/nightly", "0190c0"]);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('has no schedule "0190c0"');
    const ghost = await server.baton(["deployment", "schedule", "ls", "etl/ghost"]);
    expect(ghost.code).toBe(1);
    expect(ghost.stderr).toContain('DeploymentNotFound: no deployment "etl/ghost"');
  }, SLOW);
});
