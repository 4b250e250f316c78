/**
 * Folds a name for search as you type: "Hélène Bélanger-Côté" → "helene belanger cote".
 * SQLite cannot strip accents itself, so the key is stored beside the names and queried with
 * the same folding applied to what the secretary types.
 */
export function searchKey(...parts: ReadonlyArray<string | null | undefined>): string {
  return parts
    .filter((p): p is string => Boolean(p))
    .join(' ')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
    .trim()
}

/** Words of a query, each of which must appear at the start of a word of the key. */
export function queryTerms(query: string): string[] {
  const folded = searchKey(query)
  return folded ? [...new Set(folded.split(' '))].slice(0, 6) : []
}
