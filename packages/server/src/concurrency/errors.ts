import { BatonError, ConflictError, NotFoundError, ValidationError } from "@baton/core";

export class ConcurrencyLimitNotFound extends NotFoundError {
  override readonly code = "ConcurrencyLimitNotFound";
  constructor(readonly names: string[]) {
    super(
      `ConcurrencyLimitNotFound: no concurrency limit ${names.map((n) => `"${n}"`).join(", ")}; create it with ` +
        names.map((n) => (n.startsWith("tag:") ? `baton concurrency-limit create-tag ${n.slice(4)} N` : `baton concurrency-limit create ${n} --limit N`)).join(" and "),
    );
  }
}

export class ConcurrencyLimitExists extends ConflictError {
  override readonly code = "ConcurrencyLimitExists";
}

/** A request that can never be granted (more slots than the limit), or a rate limit with nothing to decay. */
export class ConcurrencyRequestInvalid extends ValidationError {
  override readonly code = "ConcurrencyRequestInvalid";
}

/** The lease ended (not renewed in time, or released): its slots are back in the pool. */
export class ConcurrencyLeaseGone extends BatonError {
  override readonly code = "ConcurrencyLeaseGone";
  override readonly status = 404;
}
