import {
  EXPERIMENT_FILTER,
  FilterSyntaxError,
  MODEL_VERSION_FILTER,
  REGISTERED_MODEL_FILTER,
  RUN_FILTER,
  resolveIdentifier,
  tokenize,
  type Identifier,
  type IdentifierGrammar,
  type Token,
} from "./filter";

export type OrderTerm = { identifier: Identifier; ascending: boolean };
/** What an order_by entry may name; the prefixes are the entity's filter prefixes. */
export type OrderGrammar = IdentifierGrammar<true>;

export const RUN_ORDER: OrderGrammar = {
  prefixes: RUN_FILTER.prefixes,
  kinds: {
    metric: { anyKey: true },
    param: { anyKey: true },
    tag: { anyKey: true },
    attribute: {
      keys: {
        start_time: true,
        end_time: true,
        run_name: true,
        status: true,
        user_id: true,
        artifact_uri: true,
        run_id: true,
      },
      aliases: { created: "start_time", Created: "start_time" },
    },
  },
};

export const EXPERIMENT_ORDER: OrderGrammar = {
  prefixes: EXPERIMENT_FILTER.prefixes,
  kinds: { attribute: { keys: { name: true, experiment_id: true, creation_time: true, last_update_time: true } } },
};

export const REGISTERED_MODEL_ORDER: OrderGrammar = {
  prefixes: REGISTERED_MODEL_FILTER.prefixes,
  kinds: {
    attribute: {
      keys: { name: true, last_updated_timestamp: true, creation_timestamp: true },
      // MLflow's recommended spelling, kept as an alias of the column it sorts by.
      aliases: { timestamp: "last_updated_timestamp" },
    },
  },
};

export const MODEL_VERSION_ORDER: OrderGrammar = {
  prefixes: MODEL_VERSION_FILTER.prefixes,
  kinds: {
    attribute: {
      keys: { name: true, version_number: true, creation_timestamp: true, last_updated_timestamp: true, run_id: true },
    },
  },
};

/**
 * Parses MLflow `order_by` entries, each `"<name> [ASC|DESC]"` (ascending by default). Errors carry
 * the position within the offending entry and quote the entry in the message.
 */
export function parseOrderBy(entries: readonly string[] | undefined, grammar: OrderGrammar): OrderTerm[] {
  return (entries ?? []).map((entry) => {
    try {
      return parseOrderEntry(entry, grammar);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      const shown = entry.length > 100 ? `${entry.slice(0, 100)}…` : entry;
      throw new FilterSyntaxError(`Invalid order_by entry '${shown}': ${error.message}`, error.position);
    }
  });
}

function parseOrderEntry(entry: string, grammar: OrderGrammar): OrderTerm {
  // tokenize always ends with an "end" token, so the first one exists.
  const [name, direction, rest] = tokenize(entry) as [Token, ...Token[]];
  if (name.type === "end") throw new FilterSyntaxError("The entry is empty; expected a name such as 'name ASC'", 0);
  const resolved = resolveIdentifier(name, grammar);
  if (!resolved) throw new FilterSyntaxError(`Expected a name at position ${name.pos}, got '${name.raw}'`, name.pos);
  if (!direction || direction.type === "end") return { identifier: resolved.identifier, ascending: true };

  const word = direction.type === "word" ? direction.raw.toUpperCase() : "";
  if (word !== "ASC" && word !== "DESC") {
    const message = `Expected ASC or DESC after ${name.raw} at position ${direction.pos}, got '${direction.raw}'`;
    throw new FilterSyntaxError(message, direction.pos);
  }
  if (rest && rest.type !== "end") {
    throw new FilterSyntaxError(`Unexpected '${rest.raw}' at position ${rest.pos} after ${direction.raw}`, rest.pos);
  }
  return { identifier: resolved.identifier, ascending: word === "ASC" };
}
