/** A run of keys sharing a prefix (`train/` in `train/loss`), or the keys that share none (`prefix` null). */
export type KeyGroup<K extends { key: string }> = { prefix: string | null; keys: K[] };

/** The prefix of a key up to its first `/` or `.`, with that separator; null for a key without one. */
export function keyPrefix(key: string): string | null {
  const at = key.search(/[/.]/);
  return at > 0 && at < key.length - 1 ? key.slice(0, at + 1) : null;
}

/**
 * Groups keys by prefix for the column chooser, so 10,000 keys read as a few families. Groups keep
 * the order of their first key (the list comes sorted by name); a prefix only one key has is no
 * family, so such keys join the ungrouped ones, which come first.
 */
export function groupKeysByPrefix<K extends { key: string }>(keys: readonly K[]): KeyGroup<K>[] {
  const counts = new Map<string, number>();
  for (const { key } of keys) {
    const prefix = keyPrefix(key);
    if (prefix) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  const ungrouped: K[] = [];
  const groups = new Map<string, K[]>();
  for (const item of keys) {
    const prefix = keyPrefix(item.key);
    if (!prefix || counts.get(prefix)! < 2) ungrouped.push(item);
    else groups.set(prefix, [...(groups.get(prefix) ?? []), item]);
  }
  return [...(ungrouped.length ? [{ prefix: null, keys: ungrouped }] : []), ...[...groups].map(([prefix, grouped]) => ({ prefix, keys: grouped }))];
}

/** The keys containing `term` (case-insensitive): what the list shows at once, before the server answers. */
export const matchingKeys = <K extends { key: string }>(keys: readonly K[], term: string): K[] =>
  term ? keys.filter(({ key }) => key.toLowerCase().includes(term)) : [...keys];
