let lastMs = -1;
let lastIso = "";

/**
 * The current time as ISO-8601 UTC. Each task run stamps three or four states; formatting a
 * Date is a visible share of that, and many stamps fall in the same millisecond.
 */
export function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
