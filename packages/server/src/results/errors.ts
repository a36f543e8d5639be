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
  constructor(size: number, limit: number) {
    super(
      `ResultTooLarge: body.content_base64: a result of ${size} bytes is over this server's limit of ${limit} bytes per result; ` +
        `store large results in S3-compatible storage (resultStorage: "s3://bucket/prefix"), or raise the server's resultMaxBytes`,
    );
  }
}
