import { FlowRunNotFound, isTerminal, type StateType } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { Forbidden } from "./errors.js";
import type { Principal } from "./principal.js";
import { runFacts, type RunFacts } from "./run-tokens/run-lookup.js";

/**
 * A claim is a worker's hold on a run: made by POST /work_pools/:name/claim (a new claim id, the
 * calling API key recorded), ended when the run goes back to the queue (lease expired, crash
 * retry, operator retry) or by a later claim. What it gates: run tokens (only the claim's key
 * gets one, and a token works only while its claim is the run's) and forcing a state.
 */

/** The API key behind a request, recorded on the runs it claims; null for basic auth and authentication off. */
export function claimKeyId(principal: Principal | undefined): string | null {
  return principal && (principal.kind === "api_key" || principal.kind === "session") ? principal.key_id : null;
}

/** Whether this principal made the run's current claim (basic auth: a claim made with no key). */
function holdsClaim(principal: Principal, run: RunFacts): boolean {
  if (run.claim_id === null) return false;
  if (principal.kind === "api_key" || principal.kind === "session") return run.claim_key_id === principal.key_id;
  if (principal.kind === "basic") return run.claim_key_id === null;
  return false;
}

/** States in which the claim's worker may ask for a run's token. */
const TOKEN_STATES: ReadonlySet<StateType> = new Set(["PENDING", "RUNNING"]);

/**
 * Throws 403 unless `principal` may have a run token for this run: the key that holds the run's
 * claim, while the claim holds (Pending with its lease running, or Running). A run token renewing
 * itself was checked against the claim when it was verified. Authentication off: anybody.
 */
export function assertMayHaveRunToken(principal: Principal | undefined, run: RunFacts, now: Date): void {
  if (!principal || principal.kind === "anonymous" || principal.kind === "run_token") return;
  const refuse = (why: string) =>
    new Forbidden(
      `Forbidden: a run token for flow run ${run.id} goes only to the worker that holds its claim, while the run is Pending or Running under it; ${why}. ` +
        `A worker gets runs (and their tokens) by claiming them: baton worker start --pool ${run.work_pool_name ?? "POOL"}`,
    );
  if (run.claim_id === null) throw refuse(`nobody holds a claim on it (it is ${run.state_type})`);
  if (!holdsClaim(principal, run)) throw refuse("another worker's key claimed it");
  if (!TOKEN_STATES.has(run.state_type)) throw refuse(`it is ${run.state_type}`);
  if (run.state_type === "PENDING" && run.lease_expiration !== null && run.lease_expiration < now.toISOString()) throw refuse(`its claim's lease ended at ${run.lease_expiration}`);
}

/**
 * Whether a claim still backs a token naming `claimId`: the run's current claim is that one, its
 * key still works, and a Pending run's lease has not ended. Undefined: it does; else why not.
 */
export function claimEnded(run: RunFacts, claimId: string, now: Date): string | undefined {
  if (run.claim_id !== claimId) return "the run was put back in the queue, retried or claimed again since";
  if (run.claim_key_unusable) return run.claim_key_unusable;
  if (run.state_type === "PENDING" && run.lease_expiration !== null && run.lease_expiration < now.toISOString()) return `its claim's lease ended at ${run.lease_expiration}`;
  return undefined;
}

/**
 * Throws 403 unless `principal` may force a state on the run (skip the orchestration rules):
 * admins (basic auth, authentication off, an admin key), the key that holds the run's claim (a
 * worker marking its run Crashed or Cancelled, or sending it back for a crash retry), and the run
 * itself with its token (the run-token scope has checked the run is its own).
 */
export async function assertMayForce(database: BatonDatabase, principal: Principal | undefined, flowRunId: string): Promise<void> {
  if (!principal || principal.kind === "anonymous" || principal.kind === "basic" || principal.kind === "run_token") return;
  if (principal.kind !== "public" && principal.role === "admin") return;
  const run = await runFacts(database, flowRunId, { fresh: true });
  if (!run) throw new FlowRunNotFound(flowRunId);
  if (holdsClaim(principal, run) && !isTerminal(run.state_type)) return;
  throw new Forbidden(
    `Forbidden: forcing a state on flow run ${flowRunId} (force: true) is for admins and for the worker that holds the run's claim; ` +
      `${principal.kind === "public" ? "this request has no credential" : `the key "${principal.name}" does not hold it`}. Propose the state without force, or use an admin key`,
  );
}
