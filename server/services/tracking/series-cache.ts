import { LRUCache } from "lru-cache";

export type SeriesIds = Map<string, string | number>;

/** About 10 MB at most: a series is a key and an id. */
const MAX_SERIES = 100_000;

/**
 * The series ids of the runs being logged to, kept per process so that a training loop's later
 * batches skip the lookup. A run's series id for a key never changes while the run exists, and ids
 * are remembered only once the transaction that found or created them has committed. A stale entry
 * (the run purged, deleted, or asked for from another project) is harmless: the points statement
 * admits a batch only for an active run of the caller's project, in the same statement.
 */
const remembered = new LRUCache<string, SeriesIds>({ maxSize: MAX_SERIES, sizeCalculation: (ids) => Math.max(1, ids.size) });

/** The ids of `keys` in the run when every one is remembered, otherwise null. */
export function rememberedSeries(runUuid: string, keys: readonly string[]): SeriesIds | null {
  const ids = remembered.get(runUuid);
  if (!ids || keys.some((key) => !ids.has(key))) return null;
  return ids;
}

export function rememberSeries(runUuid: string, ids: SeriesIds): void {
  const known = remembered.get(runUuid);
  // Set again, not only grown in place, so the cache re-counts the run's size.
  remembered.set(runUuid, known ? new Map([...known, ...ids]) : new Map(ids));
}
