/**
 * `seconds` moved at random by up to +/- `factor` of itself (0.5: between half and one and a half
 * times), never below 0: retries of many runs, or clients cut off together, spread apart.
 * Its own folder so that the engine's retries and the reporter's backoff share it without
 * either importing the other.
 */
export function applyJitter(seconds: number, factor: number | undefined): number {
  if (!factor) return seconds;
  return Math.max(0, seconds * (1 + factor * (2 * Math.random() - 1)));
}
