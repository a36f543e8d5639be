import { BatonError, NotFoundError } from "@baton/core";

export class ResultNotFound extends NotFoundError {
  override readonly code = "ResultNotFound";
  constructor(owner: string, key: string) {
    super(`ResultNotFound: no stored result "${key}" of ${owner === "cache" ? "the cache" : `flow run ${owner}`}; it was never stored, or its run was deleted`);
  }
}

export class ResultTooLarge extends BatonError {
  override readonly code = "ResultTooLarge";
  override readonly status = 413;
  /** `about`: the size is reckoned from the request's length, refused before its body is read. */
  constructor(size: number, limit: number, about = false) {
    super(
      `ResultTooLarge: body.content_base64: a result of ${about ? "about " : ""}${size} bytes is over this server's limit of ${limit} bytes per result (BATON_SERVER_RESULT_MAX_BYTES); ` +
        `store large results in S3-compatible storage (resultStorage: "s3://bucket/prefix"), or raise BATON_SERVER_RESULT_MAX_BYTES where the server runs (e.g. 64MiB)`,
    );
  }
}
