import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to a misspelt word, when it is close enough to be a likely typo: at most a
 * third of the candidate's letters apart (and at least one), compared case-insensitively; a
 * truncation of three letters or more (`desc` for `description`) also counts as close.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const needle = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const d = needle.length >= 3 && lower.startsWith(needle) ? 1 : distance(needle, lower);
    if (d < bestDistance && d <= Math.max(1, Math.floor(candidate.length / 3))) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** " (did you mean 'x'?)" for a suggestion, or nothing: the one wording of the hint everywhere. */
export function suggestionHint(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}

/** " (did you mean 'x'?)" when a candidate is close to `word`, or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  return suggestionHint(closestMatch(word, candidates));
}
