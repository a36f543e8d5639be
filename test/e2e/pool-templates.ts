import { ApiError, defaultBaseJobTemplate, LOCKED_KEYWORD, type BaseJobTemplate, type WorkPoolType } from "@baton/core";
import { BatonClient } from "baton";
import { expect } from "vitest";
import type { TestServer } from "./worker-setup.js";

/**
 * A pool as its admin shapes it: the type's default template with some variables unlocked (their
 * deployments may set them) and some defaults set at pool level (locked ones stay locked).
 */
export function poolTemplate(type: WorkPoolType, options: { unlock?: string[]; defaults?: Record<string, unknown> } = {}): BaseJobTemplate {
  const template = defaultBaseJobTemplate(type)!;
  for (const name of options.unlock ?? []) delete (template.variables.properties[name] as Record<string, unknown>)[LOCKED_KEYWORD];
  for (const [name, value] of Object.entries(options.defaults ?? {})) template.variables.properties[name] = { ...template.variables.properties[name], default: value };
  return template;
}

/** Create the pool (as the test server's admin) before a worker would create it with the plain default template. */
export async function createPool(t: TestServer, name: string, type: WorkPoolType, options: Parameters<typeof poolTemplate>[1] = {}): Promise<void> {
  await t.client.call("createWorkPool", { body: { name, type, base_job_template: poolTemplate(type, options), paused: false } });
}

/** A client holding a key of this role, made by the admin, as a CI pipeline would hold one. */
export async function clientWithRole(t: TestServer, name: string, role: "deployer" | "viewer" | "worker" | "admin"): Promise<BatonClient> {
  const created = await t.client.call("createApiKey", { body: { name, role } });
  return new BatonClient({ apiUrl: t.apiUrl, apiKey: created.key });
}

/** The API's refusal of a call; a test failure when the server accepted it. */
export async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`the server accepted what it must refuse: ${JSON.stringify(outcome.value).slice(0, 300)}`);
  expect(outcome.error).toBeInstanceOf(ApiError);
  return outcome.error as ApiError;
}
