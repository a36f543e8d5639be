import type { BatonClient } from "../../client/index.js";
import { apiErrorStatus } from "../../values/run-client.js";
import type { ResultStorage } from "./types.js";

/**
 * Results kept by the Baton server (`resultStorage: "server"`): every pod that reaches the API
 * reads them, with no other service. A run's persisted results are under its run (its run token
 * reaches its own), cache entries are shared. The server limits each result's size.
 */
export function serverStorage(client: BatonClient): ResultStorage {
  const split = (key: string) => {
    const [first, second, ...rest] = key.split("/");
    // flow-runs/<id>/<name> -> owner <id>; cache/<hash> -> owner cache.
    return first === "flow-runs" ? { owner: second!, key: rest.join(".") } : { owner: "cache", key: [second, ...rest].join(".") };
  };
  return {
    id: "server",
    async read(key) {
      try {
        return Buffer.from((await client.call("readResult", { params: split(key) })).content_base64, "base64");
      } catch (error) {
        if (apiErrorStatus(error) === 404) return undefined;
        throw error;
      }
    },
    async write(key, pieces) {
      // JSON carries it as base64; the server keeps the bytes. Its size is bounded by the server.
      const content_base64 = Buffer.concat(pieces).toString("base64");
      return (await client.call("writeResult", { params: split(key), body: { content_base64 } })).size;
    },
  };
}
