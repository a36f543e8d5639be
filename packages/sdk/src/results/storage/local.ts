import { open, mkdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import type { ResultStorage } from "./types.js";

const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "ENOENT";

/** Files under a folder of this machine (the default: $BATON_HOME/results): seen by this machine's runs only. */
export function localStorage(dir: string): ResultStorage {
  const pathOf = (key: string) => join(dir, `${key}.bin`);
  const writeStream = async (key: string, body: AsyncIterable<Uint8Array>) => {
    const path = pathOf(key);
    // Results are the flows' data: only this user reads them (BATON_HOME too when this creates it).
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // Write then rename: a reader (a concurrent run, a retried one) never sees half a file.
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    const file = await open(tmp, "w", 0o600);
    let size = 0;
    try {
      for await (const piece of body) {
        await file.write(piece);
        size += piece.length;
      }
    } catch (error) {
      await file.close();
      await rm(tmp, { force: true });
      throw error;
    }
    await file.close();
    await rename(tmp, path);
    return size;
  };
  return {
    id: dir,
    async read(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    write: (key, pieces) => writeStream(key, (async function* () { yield* pieces; })()),
    writeStream,
    async openRead(key) {
      let file;
      try {
        file = await open(pathOf(key), "r");
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
      // Opened first: a rename replacing it now leaves this reader on the old file, whole.
      const { size } = await file.stat();
      return { size, chunks: file.createReadStream({ highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer> };
    },
  };
}
