import { BatonError, NotFoundError } from "@baton/core";

export class ResultNotFound extends NotFoundError {
  override readonly code = "ResultNotFound";
  constructor(owner: string, key: string) {
    super(`ResultNotFound: no stored result "${key}" of ${owner === "cache" ? "the cache" : `flow run ${owner}`}; it was never stored, or its run was deleted`);
  }
}

/** A result replaced or deleted while it was being read: the reader gets an error, never half of it. */
export class ResultReplaced extends BatonError {
  override readonly code = "ResultReplaced";
  override readonly status = 409;
  constructor(owner: string, key: string) {
    super(`ResultReplaced: the stored result "${key}" of ${owner === "cache" ? "the cache" : `flow run ${owner}`} was replaced or deleted while it was being read; read it again`);
  }
}

/**
 * How the size was reckoned: exactly; `about` from the request's length (refused before its body
 * is read); `over` while it streamed in (it stopped reading there, so the whole size is unknown).
 */
export type SizeReckoning = "exact" | "about" | "over";

export class ResultTooLarge extends BatonError {
  override readonly code = "ResultTooLarge";
  override readonly status = 413;
  /** `field`: where the result was in the request (the JSON form's `body.content_base64`, or the raw `body`). */
  constructor(size: number, limit: number, reckoning: SizeReckoning = "exact", field = "body.content_base64") {
    const amount = reckoning === "over" ? `more than ${limit}` : `${reckoning === "about" ? "about " : ""}${size}`;
    super(
      `ResultTooLarge: ${field}: a result of ${amount} bytes is over this server's limit of ${limit} bytes per result (BATON_SERVER_RESULT_MAX_BYTES); ` +
        `store large results in S3-compatible storage (resultStorage: "s3://bucket/prefix"), or raise BATON_SERVER_RESULT_MAX_BYTES where the server runs (e.g. 64MiB)`,
    );
  }
}
