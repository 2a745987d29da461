/** Helpers for naming things in error messages ("did you mean …"). */

/** Edit distance between two short strings (Levenshtein, two rows). */
export function editDistance(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** The closest allowed name when it is close enough to be a likely typo. */
export function nearestName(name: string, allowed: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of allowed) {
    const d = editDistance(lower, option.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = option;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** "a, b or c" for messages that list what is allowed. */
export function listAllowed(options: readonly string[], max = 12): string {
  const shown = options.slice(0, max).map((o) => `"${o}"`);
  if (options.length > max) shown.push(`… (${options.length - max} more)`);
  return shown.join(', ');
}
