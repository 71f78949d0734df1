/** Levenshtein distance, case-insensitive, giving up (Infinity) once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > limit) {
    return Infinity;
  }
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      const v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) {
      return Infinity;
    }
    prev = row;
  }
  return prev[y.length];
}

/**
 * The one candidate close to `name` (a typo away: 1 edit for short names, up to a third of the
 * length for long ones), or undefined when none is, or when two are equally close: a quick fix
 * must not pick between them.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of candidates) {
    const d = distance(name, c, limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && d !== Infinity && c.toLowerCase() !== best?.toLowerCase()) {
      tie = true;
    }
  }
  return bestDistance <= limit && !tie ? best : undefined;
}
