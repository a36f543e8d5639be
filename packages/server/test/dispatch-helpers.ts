import pg from "pg";
import { expect, vi } from "vitest";
import type { TestApp } from "./harness.js";

/** A process pool (default template) and a deployment in it; returns the deployment. */
export async function newPool(app: TestApp, name: string, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await app.api("POST", "/work_pools", { name, type: "process", ...body });
  if (answer.status !== 201) throw new Error(`creating work pool ${name} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.work_pool;
}

export async function deploy(app: TestApp, body: Record<string, unknown>): Promise<any> {
  const answer = await app.api("POST", "/deployments", { flow_name: "etl", name: "prod", entrypoint: "flows/etl.ts:etl", ...body });
  if (answer.status !== 200) throw new Error(`deploying answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.deployment;
}

export async function runOf(app: TestApp, deploymentId: string, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await app.api("POST", `/deployments/${deploymentId}/runs`, body);
  if (answer.status !== 201) throw new Error(`running deployment answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function claim(app: TestApp, pool: string, body: Record<string, unknown> = {}): Promise<any[]> {
  const answer = await app.api("POST", `/work_pools/${pool}/claim`, { worker_name: "w1", ...body });
  if (answer.status !== 200) throw new Error(`claiming answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.flow_runs;
}

/** Waits until `count` dispatch LISTEN connections are up on the database (one per replica). */
export async function dispatchListeners(url: string, count: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await vi.waitFor(
      async () => {
        const { rows } = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN baton_dispatch'");
        expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(count);
      },
      { timeout: 20_000, interval: 50 },
    );
  } finally {
    await admin.end();
  }
}
