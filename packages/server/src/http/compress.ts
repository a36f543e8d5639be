import fastifyCompress from "@fastify/compress";
import type { FastifyInstance } from "fastify";
import { constants } from "node:zlib";

/** Below this an answer is sent as it is: compressing it saves less than its headers cost. */
const THRESHOLD_BYTES = 1024;

/**
 * Compress the API's answers (brotli or gzip, as the client accepts): a 700-task run's task runs
 * are about 350 KB of JSON and shrink about tenfold. Registered inside the `/api` plugin only:
 * the UI's files are compressed once at build time (scripts/compress.mjs), and the live event
 * stream writes to the socket itself, so it is never held back by a compressor's buffer.
 * Brotli at quality 4: near gzip's speed, a smaller answer (the default 11 is for static files).
 */
export async function installCompression(api: FastifyInstance): Promise<void> {
  await api.register(fastifyCompress, {
    global: true,
    threshold: THRESHOLD_BYTES,
    encodings: ["br", "gzip"],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
