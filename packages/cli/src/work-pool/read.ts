import { NotFoundError, type WorkPool } from "@baton/core";
import type { BatonClient } from "baton";
import { isNotFound } from "../api-errors.js";

export class WorkPoolNotFound extends NotFoundError {
  override readonly code = "WorkPoolNotFound";
}

export async function readWorkPool(client: BatonClient, name: string): Promise<WorkPool> {
  try {
    return await client.call("readWorkPool", { params: { name } });
  } catch (error) {
    if (isNotFound(error)) {
      throw new WorkPoolNotFound(`WorkPoolNotFound: no work pool "${name}"; list them with baton work-pool ls, or create it with baton work-pool create ${name} --type process`);
    }
    throw error;
  }
}
