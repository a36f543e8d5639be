import { open, mkdir, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import type { ResultStorage } from "./types.js";

/** Files under a folder of this machine (the default: $BATON_HOME/results): seen by this machine's runs only. */
export function localStorage(dir: string): ResultStorage {
  const pathOf = (key: string) => join(dir, `${key}.bin`);
  return {
    id: dir,
    async read(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async write(key, pieces) {
      const path = pathOf(key);
      // Results are the flows' data: only this user reads them (BATON_HOME too when this creates it).
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // Write then rename: a reader (a concurrent run, a retried one) never sees half a file.
      const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
      const file = await open(tmp, "w", 0o600);
      let size = 0;
      try {
        for (const piece of pieces) {
          await file.write(piece);
          size += piece.length;
        }
      } finally {
        await file.close();
      }
      await rename(tmp, path);
      return size;
    },
  };
}
