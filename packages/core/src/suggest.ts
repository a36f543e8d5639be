/** Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate a mistyped name most likely meant, or undefined when none is close enough to be
 * a plausible typo (within a quarter of the name's length, at least 2 edits, case ignored).
 */
export function closestName<T extends string>(name: string, candidates: Iterable<T>, tolerance = Math.max(2, Math.floor(name.length / 4))): T | undefined {
  let best: T | undefined;
  let bestDistance = Infinity;
  const wanted = name.toLowerCase();
  for (const candidate of candidates) {
    // The distance is at least the difference in length: such a candidate could not win.
    if (Math.abs(candidate.length - wanted.length) > Math.min(bestDistance, tolerance)) continue;
    const d = editDistance(wanted, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance > 0 && bestDistance <= tolerance ? best : undefined;
}
