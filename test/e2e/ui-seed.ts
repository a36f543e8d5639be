import { randomUUID } from "node:crypto";
import type { UiStack } from "./ui-fixture.js";

/**
 * A data set like the one issue 21 was found with, written through the API (as a worker and the
 * SDK would write it): pools besides the stack's own, more deployments (cron, interval, RRULE
 * schedules, tags, long entrypoints), runs in every state, and a 700-task run with a failed task,
 * retried tasks and thousands of log lines over two days. The real runs come from the stack's
 * process worker (see the suite).
 */
export interface Seeded {
  bigRunId: string;
  bigRunTasks: number;
  failedTaskName: string;
  failedTaskId: string;
  deploymentId: string;
  /** A run paused in pauseFlowRun waiting for input: its page has the resume form. */
  pausedRunId: string;
  pausedRunName: string;
}

const STATES = ["COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "CRASHED", "CANCELLED", "RUNNING", "SCHEDULED", "PENDING", "PAUSED"] as const;
const iso = (ms: number) => new Date(ms).toISOString();

/** `count` API calls, ten at a time: the seed takes seconds, not a minute of one-by-one requests. */
async function inBatches(count: number, one: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - start) }, (_, k) => one(start + k)));
  }
}

/** A parameter schema with a list of objects, a free-form object, a date and time and a date (issue 21 item 7). */
const RUN_FORM_SCHEMA = {
  type: "object",
  properties: {
    limit: { type: "integer", minimum: 0 },
    source: { type: "string", description: "Where the raw events are read from" },
    tables: { type: "array", items: { type: "object", properties: { name: { type: "string" }, mode: { type: "string", enum: ["full", "delta"] } }, required: ["name"] } },
    env: { type: "object", additionalProperties: { type: "string" } },
    since: { type: "string", format: "date-time" },
    day: { type: "string", format: "date" },
  },
  required: ["source"],
};
const RUN_FORM_PARAMETERS = { tables: [{ name: "orders", mode: "delta" }, { name: "customers" }], env: { LOG_LEVEL: "INFO" }, since: "2026-12-01T08:00:00.000Z" };

export async function seedUiData(stack: UiStack): Promise<Seeded> {
  // First: the suite's failing run is already on its way, and its failure should fire these.
  await seedNotificationsAndAutomations(stack);
  await Promise.all(["gpu-batch-with-a-long-pool-name", "nightly"].map((name) => stack.api("POST", "/work_pools", { name, type: "process", description: `The ${name} pool of the data team` })));
  await seedConcurrencyLimits(stack);
  const base = await stack.deployment("etl-flow/etl");
  const schedules = [
    [{ cron: "0 9 * * 1-5", timezone: "Europe/Paris" }],
    [{ interval: 3600 }],
    [{ rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=6;BYMINUTE=30", timezone: "America/New_York" }],
    [],
  ];
  let deploymentId = base.id as string;
  await inBatches(8, async (i) => {
    const { deployment } = await stack.api("POST", "/deployments", {
      flow_name: i % 2 ? "reporting-flow" : "warehouse-sync-flow",
      name: `team-${i}-${"x".repeat(i * 4)}`,
      entrypoint: `flows/very/deeply/nested/package/of/the/data/platform/team_${i}.ts:someFlowWithAVeryLongName`,
      description: "Loads the warehouse tables from the lake, every weekday morning before the team starts",
      tags: ["etl", `team-${i % 3}`, "a-rather-long-tag-name"],
      parameters: { limit: i, source: `s3://bucket-of-the-data-platform-team/raw/events/year=2026/month=0${(i % 9) + 1}/`, ...(i === 0 ? RUN_FORM_PARAMETERS : {}) },
      // The deployment page's run form draws every editor it has: a list of objects, a key/value object, a date and time.
      ...(i === 0 ? { parameter_schema: RUN_FORM_SCHEMA } : {}),
      schedules: schedules[i % schedules.length],
      paused: i === 3,
      work_pool_name: i % 2 ? "nightly" : "runs",
      source: { repository: "https://git.example.com/data-platform/a-repository-with-a-long-name.git", branch: "main" },
    });
    if (i === 0) deploymentId = deployment.id;
  });

  // Runs in every state, a day's worth, attached to the stack's deployments by flow name.
  const now = Date.now();
  await inBatches(60, async (i) => {
    const type = STATES[i % STATES.length]!;
    const start = now - (i + 1) * 25 * 60_000;
    const id = randomUUID();
    await stack.api("POST", "/flow_runs", { id, flow_name: i % 3 ? "etl-flow" : "reporting-flow", name: `seeded-run-${i}`, tags: i % 4 ? ["etl"] : ["etl", "backfill"], state: { type: "RUNNING", timestamp: iso(start) } });
    if (type !== "RUNNING") {
      const data = type === "FAILED" ? { error: { name: "Error", message: `table events_${i} is locked by another writer` } } : undefined;
      await stack.api("POST", `/flow_runs/${id}/set_state`, { force: true, state: { type, timestamp: iso(start + 90_000 + i * 1000), ...(data ? { data } : {}) } });
    }
  });

  const big = await seedBigRun(stack, now);
  await seedVariablesAndArtifacts(stack, big.bigRunId);
  return { ...big, deploymentId, ...(await seedPausedRun(stack, now)) };
}

/** What `pauseFlowRun(..., { waitForInput })` writes for an approval: every kind of editor the resume form draws. */
const APPROVAL_SCHEMA = {
  type: "object",
  properties: {
    approved: { type: "boolean", description: "Load the staged partitions into the warehouse" },
    reviewer: { type: "string" },
    reason: { type: "string", enum: ["row counts match", "checked by hand", "rerun later"] },
    max_rejected_rows: { type: "integer", minimum: 0, default: 0 },
    load_after: { type: "string", format: "date-time" },
    tables: { type: "array", items: { type: "string" } },
  },
  required: ["approved", "reviewer"],
};

/** A run paused as pauseFlowRun pauses one (the same Paused state, through the API), waiting for an approval for six hours. */
async function seedPausedRun(stack: UiStack, now: number): Promise<Pick<Seeded, "pausedRunId" | "pausedRunName">> {
  const id = randomUUID();
  const name = "waiting-for-approval";
  await stack.api("POST", "/flow_runs", { id, flow_name: "warehouse-sync-flow", name, tags: ["etl"], state: { type: "RUNNING", timestamp: iso(now - 10 * 60_000) } });
  const answer = await stack.api("POST", `/flow_runs/${id}/set_state`, {
    state: {
      type: "PAUSED",
      name: "Paused",
      message: `Waiting for input; resume with baton flow-run resume ${id} --input JSON`,
      timestamp: iso(now - 5 * 60_000),
      state_details: { pause_timeout: iso(now + 6 * 3_600_000), input_schema: APPROVAL_SCHEMA },
    },
  });
  if (answer.status !== "ACCEPT") throw new Error(`the seed's run could not pause: ${JSON.stringify(answer)}`);
  return { pausedRunId: id, pausedRunName: name };
}

/**
 * Notification rules (a signed webhook that refuses connections, so its deliveries record errors
 * and retries; a disabled Slack one) with a test message queued, and automations of each kind of
 * trigger. `retry-failed-runs` fires on the suite's failing run.
 */
export const FIRING_AUTOMATION = "retry-failed-runs";
async function seedNotificationsAndAutomations(stack: UiStack): Promise<void> {
  await stack.api("POST", "/notification_rules", {
    name: "ops-webhook",
    states: ["FAILED", "CRASHED"],
    match: { deployments: ["fail-flow/fail"] },
    target: { type: "webhook", url: "http://127.0.0.1:9/hooks/baton/a-secret-path", hmac_secret: "a-signing-secret" },
  });
  await stack.api("POST", "/notification_rules", {
    name: "data-team-slack-channel-for-the-nightly-warehouse-loads",
    states: ["LATE", "COMPLETED"],
    match: { flows: ["warehouse-sync-flow"], tags: ["a-rather-long-tag-name"], work_pools: ["gpu-batch-with-a-long-pool-name"] },
    target: { type: "slack", url: "https://hooks.slack.com/services/T000/B000/XXXXXXXX" },
    enabled: false,
  });
  await stack.api("POST", "/notification_rules/ops-webhook/test");
  await stack.api("POST", "/automations", { name: FIRING_AUTOMATION, trigger: { type: "state", states: ["FAILED"], match: { flows: ["fail-flow"] } }, actions: [{ type: "notify", rule: "ops-webhook" }] });
  await stack.api("POST", "/automations", {
    name: "cancel-runs-stuck-for-two-hours-on-the-gpu-batch-pool",
    trigger: { type: "running_longer_than", seconds: 7200, match: { work_pools: ["gpu-batch-with-a-long-pool-name"], tags: ["a-rather-long-tag-name"] } },
    actions: [{ type: "cancel_run" }, { type: "notify", rule: "ops-webhook" }],
    enabled: false,
  });
  await stack.api("POST", "/automations", { name: "etl-done-by-seven", trigger: { type: "no_completed_run_by", deployment: "etl-flow/etl", time: "07:00", timezone: "Europe/Paris" }, actions: [{ type: "notify", rule: "ops-webhook" }], enabled: false });
}

/** A concurrency limit with a slot held (a lease of an hour), a rate limit, and a tag limit, for their page. */
async function seedConcurrencyLimits(stack: UiStack): Promise<void> {
  await stack.api("POST", "/concurrency_limits", { name: "warehouse", limit: 2 });
  await stack.api("POST", "/concurrency_limits", { name: "crm-api-of-the-data-platform-team", limit: 60, slot_decay_per_second: 1 });
  await stack.api("POST", "/concurrency_limits", { name: "tag:backfill", limit: 4 });
  await stack.api("POST", "/concurrency_limits/acquire", { names: ["warehouse"], lease_seconds: 3600 });
}

/** Variables of each kind (a long one too) and an artifact of each type on the big run, for their pages. */
async function seedVariablesAndArtifacts(stack: UiStack, runId: string): Promise<void> {
  const variables: Record<string, unknown> = {
    region: "eu-west-1",
    batch_size: 500,
    dry_run: false,
    warehouse_tables: ["events", "orders", "customers", "a_table_with_a_rather_long_name_of_the_data_platform"],
    "connection-defaults-of-the-data-platform-team": { host: "warehouse.internal.example.com", port: 5432, options: { sslmode: "require", application_name: "baton" } },
  };
  await Promise.all(Object.entries(variables).map(([name, value]) => stack.api("PUT", `/variables/${name}`, { value })));
  const artifacts = [
    { key: "backfill-report", type: "markdown", description: "What the backfill loaded", data: "# Backfill\n\n699 of 700 partitions loaded; **load_partition-437** failed.\n\n| table | rows |\n|---|---|\n| events | 699,000 |" },
    { key: "partition-counts", type: "table", data: { columns: ["partition", "rows", "source"], rows: Array.from({ length: 12 }, (_, i) => ({ partition: i, rows: 1000 + i, source: `s3://bucket-of-the-data-platform-team/raw/events/${i}/part-0.parquet` })) } },
    { key: "dashboard-link", type: "link", data: { url: "https://dashboards.example.com/data-platform/backfill", text: "Backfill dashboard" } },
    { key: "backfill-progress", type: "progress", data: 99.9 },
  ];
  for (const artifact of artifacts) await stack.api("POST", "/artifacts", { ...artifact, flow_run_id: runId });
}

/** 700 task runs (one failed, some retried) and about 4,000 log lines from 23:00 one day to past midnight. */
async function seedBigRun(stack: UiStack, now: number): Promise<Omit<Seeded, "deploymentId">> {
  const bigRunTasks = 700;
  const start = new Date(now - 2 * 86_400_000);
  start.setUTCHours(22, 30, 0, 0); // the run spans midnight in Paris and in UTC
  const t0 = start.getTime();
  const flowRunId = randomUUID();
  await stack.api("POST", "/flow_runs", { id: flowRunId, flow_name: "warehouse-sync-flow", name: "big-backfill-700", state: { type: "RUNNING", timestamp: iso(t0) } });
  const failedIndex = 437;
  const failedTaskName = `load_partition-${failedIndex}`;
  let failedTaskId = "";
  const tasks = [];
  const states = [];
  const logs = [];
  for (let i = 0; i < bigRunTasks; i++) {
    const id = randomUUID();
    const name = i % 7 === 0 ? `extract_source-${i}` : `load_partition-${i}`;
    const begin = t0 + Math.floor(i / 20) * 120_000 + (i % 20) * 3000;
    const end = begin + 60_000 + (i % 11) * 4000;
    const failed = i === failedIndex;
    if (failed) failedTaskId = id;
    tasks.push({ id, flow_run_id: flowRunId, task_key: name.split("-")[0]!, name, dynamic_key: String(i), max_retries: i % 50 === 0 ? 2 : 0, task_inputs: { partition: [], source: [] }, created: iso(begin) });
    states.push({ task_run_id: id, state: { type: "RUNNING", timestamp: iso(begin) } });
    if (i % 50 === 0) {
      states.push({ task_run_id: id, state: { type: "SCHEDULED", name: "AwaitingRetry", timestamp: iso(begin + 20_000) } });
      states.push({ task_run_id: id, state: { type: "RUNNING", name: "Retrying", timestamp: iso(begin + 25_000) } });
    }
    states.push({
      task_run_id: id,
      state: failed
        ? { type: "FAILED", timestamp: iso(end), message: "partition 437 has 3 rows that break the unique key", data: { error: { name: "IntegrityError", message: "partition 437 has 3 rows that break the unique key" } } }
        : { type: "COMPLETED", timestamp: iso(end), data: { result: { rows: 1000 + i } } },
    });
    for (let l = 0; l < 5; l++) {
      logs.push({ flow_run_id: flowRunId, task_run_id: id, name: "baton.task_runs", level: failed && l === 4 ? 40 : 20, message: l === 4 ? (failed ? "partition 437 has 3 rows that break the unique key" : `Finished in state Completed()`) : `Loaded ${(l + 1) * 200} rows of partition ${i} from s3://bucket-of-the-data-platform-team/raw/events/${i}/part-${l}.parquet`, timestamp: iso(begin + l * 10_000) });
    }
  }
  logs.push({ flow_run_id: flowRunId, name: "baton.flow_runs", level: 20, message: "Starting the backfill of 700 partitions", timestamp: iso(t0) });
  const report = await stack.api("POST", "/reports", { task_runs: tasks, task_run_states: states, logs });
  if (report.rejected.length > 0) throw new Error(`the seed's report was refused: ${JSON.stringify(report.rejected.slice(0, 3))}`);
  await stack.api("POST", `/flow_runs/${flowRunId}/set_state`, {
    force: true,
    state: { type: "FAILED", timestamp: iso(t0 + 36 * 60 * 2000), data: { error: { name: "Error", message: "1 of 700 task runs failed: load_partition-437" } } },
  });
  return { bigRunId: flowRunId, bigRunTasks, failedTaskName, failedTaskId };
}
