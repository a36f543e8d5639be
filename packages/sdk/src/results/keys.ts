import { createHash } from "node:crypto";
import { toJsonSafe } from "@baton/core";

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** A stable hash of a task call's arguments (their JSON form), for persisted-result file names. */
export function hashInputs(args: readonly unknown[]): string {
  return sha256(JSON.stringify(toJsonSafe(args))).slice(0, 32);
}

/** Task names may hold anything; file names may not. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 100);
}
