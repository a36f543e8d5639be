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
 * Writes stream the serialized pieces as they are made (`@aws-sdk/lib-storage`'s Upload: one
 * PutObject when small, a multipart upload of 5 MiB parts when not, so the size need not be known
 * first), and reads hand on GetObject's body as it arrives.
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
  const openRead = async (key: string) => {
    const { s3, sdk } = await connect();
    try {
      const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: `${prefix}${key}` }));
      return { size: answer.ContentLength, chunks: answer.Body as Readable as AsyncIterable<Buffer> };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "NoSuchKey" || name === "NotFound") return undefined;
      throw error;
    }
  };
  const writeStream = async (key: string, body: AsyncIterable<Uint8Array>) => {
    const [{ s3 }, { Upload }] = await Promise.all([connect(), import("@aws-sdk/lib-storage")]);
    let size = 0;
    const counted = Readable.from(
      (async function* () {
        for await (const piece of body) {
          size += piece.length;
          yield piece;
        }
      })(),
      { objectMode: false },
    );
    // queueSize 1: one part in flight while the next fills, so at most about two parts are held.
    await new Upload({ client: s3, params: { Bucket: bucket, Key: `${prefix}${key}`, Body: counted, ContentType: "application/octet-stream" }, queueSize: 1 }).done();
    return size;
  };
  return {
    id: `${options.endpoint ?? "aws"} ${options.url}`,
    openRead,
    writeStream,
    async read(key) {
      const opened = await openRead(key);
      if (!opened) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of opened.chunks) chunks.push(chunk);
      return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    },
    write: (key, pieces) => writeStream(key, Readable.from(pieces)),
  };
}
