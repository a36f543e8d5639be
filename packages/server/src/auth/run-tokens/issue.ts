import { BatonError, FlowRunNotFound, isTerminal, type RunToken } from "@baton/core";
import type { BatonDatabase } from "../../db/open.js";
import type { RunTokenPrincipal } from "../principal.js";
import { forgetRunFact, forgetRunFacts, runFacts } from "./run-lookup.js";
import { assertMayHaveRunToken, claimEnded } from "../claims.js";
import type { Principal } from "../principal.js";
import { Forbidden } from "../errors.js";
import { LEGACY_CLAIM, NO_CLAIM, decodeRunToken, encodeRunToken, runTokenSigningKey } from "./token.js";

/**
 * A token lives at most this long (the default). A run that lasts longer renews its token with the
 * token itself (createRunToken for its own run; the SDK does it past half the token's life).
 */
export const RUN_TOKEN_MAX_SECONDS = 24 * 3600;
/**
 * After its run ends a token still writes the run's last log lines and task-run states for this
 * long (the engine flushes them after proposing the final state), and nothing else.
 */
export const RUN_TOKEN_GRACE_SECONDS = 60;

export class RunAlreadyFinished extends BatonError {
  override readonly code = "RunAlreadyFinished";
  override readonly status = 409;
}

type KeySource = Buffer | (() => Buffer);
const keys = new WeakMap<BatonDatabase, () => Buffer>();
const lifetimes = new WeakMap<BatonDatabase, number>();

export class InvalidRunTokenTtl extends BatonError {
  override readonly code = "InvalidRunTokenTtl";
  override readonly status = 400;
}

/** Checks a configured run-token lifetime: whole seconds from 1 to RUN_TOKEN_MAX_SECONDS. */
export function checkRunTokenTtl(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > RUN_TOKEN_MAX_SECONDS) {
    throw new InvalidRunTokenTtl(`InvalidRunTokenTtl: runTokenTtlSeconds is ${seconds}; use whole seconds from 1 to ${RUN_TOKEN_MAX_SECONDS} (24 h, the default)`);
  }
  return seconds;
}

/** How long this database's server makes run tokens live (the server option `runTokenTtlSeconds`); installAuth registers it. */
export function registerRunTokenTtl(database: BatonDatabase, seconds: number | undefined): void {
  if (seconds === undefined) lifetimes.delete(database);
  else lifetimes.set(database, checkRunTokenTtl(seconds));
}

/**
 * The server's secrets key for this database's tokens. `runTokenRoutes` registers it, so the auth
 * hook can call `verifyRunToken(database, token)` without carrying the key around.
 */
export function registerRunTokenKey(database: BatonDatabase, secretKey: KeySource): void {
  keys.set(database, typeof secretKey === "function" ? secretKey : () => secretKey);
}

function signingKey(database: BatonDatabase, secretKey: KeySource | undefined): Buffer {
  const source = secretKey ?? keys.get(database);
  if (!source) throw new Error("run tokens: no secrets key registered for this database; mount runTokenRoutes(context, secretKey) or pass the key");
  return runTokenSigningKey(typeof source === "function" ? source() : source);
}

export interface IssueRunTokenOptions {
  /** The server's secrets key (createApp's `secretKey`); the registered one when not given. */
  secretKey?: KeySource;
  /** Default: the registered server option, else RUN_TOKEN_MAX_SECONDS (also the maximum). */
  ttlSeconds?: number;
  now?: Date;
  /** Who asks (the route's principal): only the holder of the run's claim gets a token. Absent: not checked (tests, tools). */
  principal?: Principal;
}

/** A token naming one flow run that exists and has not ended, and the claim it runs under. */
export async function issueRunToken(database: BatonDatabase, flowRunId: string, options: IssueRunTokenOptions = {}): Promise<RunToken> {
  const run = await runFacts(database, flowRunId, { fresh: true });
  if (!run) throw new FlowRunNotFound(flowRunId);
  if (isTerminal(run.state_type)) {
    throw new RunAlreadyFinished(`RunAlreadyFinished: flow run ${flowRunId} is ${run.state_type} already; a run token is only given for a run that has not ended (retry it with baton flow-run retry ${flowRunId})`);
  }
  const now = options.now ?? new Date();
  if (options.principal?.kind === "run_token") {
    // A renewal: only while the claim its token was made under still holds.
    const ended = claimEnded(run, options.principal.claim_id, now);
    if (ended) throw new Forbidden(`Forbidden: this run token cannot renew itself: ${ended}; the run's worker gets a new token when it claims the run again`);
  } else if (options.principal) assertMayHaveRunToken(options.principal, run, now);
  return signRunToken(database, run.id, run.claim_id, { ...options, now });
}

/**
 * A token for a run and claim already checked by the caller: issueRunToken's last step, and the
 * claim's own (a claim that asks for `run_tokens` made the claims it signs, in that request).
 */
export function signRunToken(database: BatonDatabase, flowRunId: string, claimId: string | null, options: Pick<IssueRunTokenOptions, "secretKey" | "ttlSeconds" | "now"> = {}): RunToken {
  // The facts cached for the run's token checks may name its previous claim (a retried run): the
  // new token would be refused for up to a second. createRunToken reads them fresh for the same reason.
  forgetRunFact(database, flowRunId);
  const now = options.now ?? new Date();
  const ttl = Math.min(Math.max(options.ttlSeconds ?? lifetimes.get(database) ?? RUN_TOKEN_MAX_SECONDS, 1), RUN_TOKEN_MAX_SECONDS);
  const expires = new Date(Math.floor((now.getTime() + ttl * 1000) / 1000) * 1000);
  const token = encodeRunToken(signingKey(database, options.secretKey), { flowRunId, claimId: claimId !== null && claimId !== LEGACY_CLAIM ? claimId : NO_CLAIM, expires });
  return { token, flow_run_id: flowRunId, expires: expires.toISOString() };
}

export interface VerifiedRunToken extends RunTokenPrincipal {
  expires: string;
}

/**
 * The principal of a token this server signed, whose expiry has not passed and whose run exists and
 * has not ended (or ended less than RUN_TOKEN_GRACE_SECONDS ago: see authorizeRunScope for what it may
 * still do). Anything else: `undefined`, which the auth hook answers with 401.
 */
export async function verifyRunToken(database: BatonDatabase, token: string, options: { secretKey?: KeySource; now?: Date } = {}): Promise<VerifiedRunToken | undefined> {
  const decoded = decodeRunToken(signingKey(database, options.secretKey), token);
  const now = options.now ?? new Date();
  if (!decoded || decoded.expires.getTime() <= now.getTime()) return undefined;
  const run = await runFacts(database, decoded.flowRunId);
  if (!run) return undefined;
  // The token dies with the claim that made it: re-queued, retried, claimed again, key revoked.
  if (claimEnded(run, decoded.claimId, now)) return undefined;
  if (isTerminal(run.state_type) && now.getTime() - endedAt(run) > RUN_TOKEN_GRACE_SECONDS * 1000) return undefined;
  return { kind: "run_token", flow_run_id: run.id, deployment_id: run.deployment_id, claim_id: decoded.claimId, expires: decoded.expires.toISOString() };
}

/** When a final run ended: its end time, else (a run cancelled before it started) its last update. */
export function endedAt(run: { end_time: string | null; updated: string }): number {
  return Date.parse(run.end_time ?? run.updated);
}

export { forgetRunFacts };
