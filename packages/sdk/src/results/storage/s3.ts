import { Readable } from "node:stream";
import type { ResultStorage } from "./types.js";

export interface S3StorageOptions {
  /** `s3://bucket` or `s3://bucket/prefix`. */
  url: string;
  /** An S3-compatible endpoint (MinIO, Google Cloud Storage's `https://storage.googleapis.com`); AWS when unset. */
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most S3-compatible servers want. */
  forcePathStyle?: boolean | undefined;
  /** Explicit credentials (from a Baton secret); unset: the usual AWS variables, profile or role. */
  credentials?: (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>) | undefined;
}

export class InvalidResultStorage extends Error {
  override readonly name = "InvalidResultStorage";
}

/**
 * Results in S3-compatible object storage (`resultStorage: "s3://bucket/prefix"`), through
 * `@aws-sdk/client-s3` (loaded the first time it is used, so `import "baton"` stays cheap).
 * Writes stream the serialized pieces to the object, never joined into one more buffer.
 */
export function s3Storage(options: S3StorageOptions): ResultStorage {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(options.url);
  if (!match) throw new InvalidResultStorage(`InvalidResultStorage: "${options.url}" is not s3://bucket[/prefix]`);
  const bucket = match[1]!;
  const prefix = match[2] ? `${match[2].replace(/\/+$/, "")}/` : "";
  let client: Promise<{ s3: import("@aws-sdk/client-s3").S3Client; sdk: typeof import("@aws-sdk/client-s3") }> | undefined;
  const connect = () =>
    (client ??= import("@aws-sdk/client-s3").then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : options.endpoint ? { forcePathStyle: true } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        // Checksums only where S3 requires them: the default streams bodies as aws-chunked with a
        // trailing checksum, which S3-compatible servers (GCS, older MinIO, s3rver) store as is.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
    })));
  return {
    id: `${options.endpoint ?? "aws"} ${options.url}`,
    async read(key) {
      const { s3, sdk } = await connect();
      try {
        const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: `${prefix}${key}` }));
        const chunks: Buffer[] = [];
        for await (const chunk of answer.Body as Readable) chunks.push(chunk as Buffer);
        return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === "NoSuchKey" || name === "NotFound") return undefined;
        throw error;
      }
    },
    async write(key, pieces) {
      const { s3, sdk } = await connect();
      const size = pieces.reduce((n, p) => n + p.length, 0);
      await s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: `${prefix}${key}`, Body: Readable.from(pieces), ContentLength: size, ContentType: "application/octet-stream" }));
      return size;
    },
  };
}
