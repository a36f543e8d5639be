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
