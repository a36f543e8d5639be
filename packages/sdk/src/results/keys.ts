import { createHash } from "node:crypto";
import { canonicalForm } from "./canonical.js";

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * A stable hash of a task call's arguments, for cache keys and persisted-result file names:
 * equal arguments (whatever their key order) share it, distinct ones never do (see canonical.ts).
 */
export function hashInputs(args: readonly unknown[]): string {
  return sha256(canonicalForm(args)).slice(0, 32);
}

/** Task names may hold anything; file names may not. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 100);
}
