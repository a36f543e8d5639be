import type { BatonClient } from "../../client/index.js";
import { apiErrorStatus } from "../../values/run-client.js";
import type { ResultStorage } from "./types.js";

/**
 * Results kept by the Baton server (`resultStorage: "server"`): every pod that reaches the API
 * reads them, with no other service. A run's persisted results are under its run (its run token
 * reaches its own), cache entries are shared. The server limits each result's size.
 * Bytes go raw and streamed (`/results/:owner/:key/content`) both ways; through a transport that
 * cannot stream (in-process), as base64 in JSON.
 */
export function serverStorage(client: BatonClient): ResultStorage {
  const split = (key: string) => {
    const [first, second, ...rest] = key.split("/");
    // flow-runs/<id>/<name> -> owner <id>; cache/<hash> -> owner cache.
    return first === "flow-runs" ? { owner: second!, key: rest.join(".") } : { owner: "cache", key: [second, ...rest].join(".") };
  };
  const missing = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (apiErrorStatus(error) === 404) return undefined;
      throw error;
    }
  };
  const readJson = (key: string) => missing(async () => Buffer.from((await client.call("readResult", { params: split(key) })).content_base64, "base64"));
  const writeJson = async (key: string, pieces: readonly Buffer[]) => (await client.call("writeResult", { params: split(key), body: { content_base64: Buffer.concat(pieces).toString("base64") } })).size;
  return {
    id: "server",
    read: readJson,
    write: writeJson,
    async openRead(key) {
      if (!client.transport.stream) {
        const bytes = await readJson(key);
        return bytes && { size: bytes.length, chunks: (async function* () { yield bytes; })() };
      }
      const answer = await missing(async () => (await client.stream("readResultContent", split(key)))!);
      if (!answer) return undefined;
      const length = Number(answer.headers["content-length"]);
      return { size: Number.isFinite(length) ? length : undefined, chunks: answer.body as AsyncIterable<Buffer> };
    },
    async writeStream(key, body) {
      const answer = await client.stream("writeResultContent", split(key), body);
      if (!answer) {
        const pieces: Buffer[] = [];
        for await (const piece of body) pieces.push(Buffer.from(piece));
        return writeJson(key, pieces);
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of answer.body) chunks.push(chunk);
      return (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { size: number }).size;
    },
  };
}
