import { describe, expect, it } from "vitest";
import { FilterSyntaxError, type EntityKind } from "../../server/search/filter";
import {
  EXPERIMENT_ORDER,
  MODEL_VERSION_ORDER,
  REGISTERED_MODEL_ORDER,
  RUN_ORDER,
  parseOrderBy,
  type OrderGrammar,
  type OrderTerm,
} from "../../server/search/order-by";

const term = (kind: EntityKind, key: string, ascending = true): OrderTerm => ({ identifier: { kind, key }, ascending });

function expectError(entry: string, message: string, position: number, grammar: OrderGrammar = RUN_ORDER) {
  let caught: unknown;
  try {
    parseOrderBy([entry], grammar);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FilterSyntaxError);
  const error = caught as FilterSyntaxError;
  expect({ message: error.message, position: error.position }).toEqual({ message, position });
}

describe("parseOrderBy", () => {
  it("returns no terms for no entries", () => {
    expect(parseOrderBy(undefined, RUN_ORDER)).toEqual([]);
    expect(parseOrderBy([], RUN_ORDER)).toEqual([]);
  });

  it("defaults to ascending and reads the direction in any case", () => {
    expect(parseOrderBy(["metrics.acc", "metrics.acc ASC", "metrics.acc desc", "metrics.acc Desc", "metrics.acc asc"], RUN_ORDER)).toEqual([
      term("metric", "acc"),
      term("metric", "acc"),
      term("metric", "acc", false),
      term("metric", "acc", false),
      term("metric", "acc"),
    ]);
  });

  it("keeps the entries in order", () => {
    expect(parseOrderBy(["params.lr DESC", "tags.team", "start_time DESC"], RUN_ORDER)).toEqual([
      term("param", "lr", false),
      term("tag", "team"),
      term("attribute", "start_time", false),
    ]);
  });

  it("reads quoted keys and surrounding whitespace", () => {
    expect(parseOrderBy(["  metrics.`val loss`   DESC ", 'params."learning rate"', "tags.`mlflow.runName` ASC"], RUN_ORDER)).toEqual([
      term("metric", "val loss", false),
      term("param", "learning rate"),
      term("tag", "mlflow.runName"),
    ]);
  });

  it("accepts every run prefix spelling", () => {
    expect(parseOrderBy(["metric.a", "param.b", "parameters.c", "tag.d", "attr.status", "run.end_time", "attribute.run_id"], RUN_ORDER)).toEqual([
      term("metric", "a"),
      term("param", "b"),
      term("param", "c"),
      term("tag", "d"),
      term("attribute", "status"),
      term("attribute", "end_time"),
      term("attribute", "run_id"),
    ]);
  });

  it.each(["start_time", "end_time", "run_name", "status", "user_id", "artifact_uri", "run_id"])("orders runs by %s", (key) => {
    expect(parseOrderBy([`attributes.${key} DESC`], RUN_ORDER)).toEqual([term("attribute", key, false)]);
  });

  it.each(["created", "Created"])("maps %s to start_time", (alias) => {
    expect(parseOrderBy([`${alias} DESC`], RUN_ORDER)).toEqual([term("attribute", "start_time", false)]);
  });

  it.each(["name", "experiment_id", "creation_time", "last_update_time"])("orders experiments by %s", (key) => {
    expect(parseOrderBy([`${key} DESC`, `attribute.${key}`], EXPERIMENT_ORDER)).toEqual([term("attribute", key, false), term("attribute", key)]);
  });

  it("orders registered models, reading timestamp as last_updated_timestamp", () => {
    expect(parseOrderBy(["timestamp DESC", "last_updated_timestamp", "creation_timestamp ASC", "name"], REGISTERED_MODEL_ORDER)).toEqual([
      term("attribute", "last_updated_timestamp", false),
      term("attribute", "last_updated_timestamp"),
      term("attribute", "creation_timestamp"),
      term("attribute", "name"),
    ]);
  });

  it.each(["name", "version_number", "creation_timestamp", "last_updated_timestamp", "run_id"])("orders model versions by %s", (key) => {
    expect(parseOrderBy([`${key} DESC`], MODEL_VERSION_ORDER)).toEqual([term("attribute", key, false)]);
  });
});

describe("parseOrderBy: errors", () => {
  it("rejects an empty entry", () => {
    expectError("  ", "Invalid order_by entry '  ': The entry is empty; expected a name such as 'name ASC'", 0);
  });

  it("rejects attributes a run cannot be ordered by", () => {
    expectError(
      "lifecycle_stage",
      "Invalid order_by entry 'lifecycle_stage': Unknown attribute 'lifecycle_stage' at position 0; expected one of start_time, end_time, run_name, status, user_id, artifact_uri, run_id",
      0,
    );
  });

  it("rejects datasets in run order", () => {
    expectError(
      "datasets.name",
      "Invalid order_by entry 'datasets.name': Unknown prefix 'datasets' at position 0; expected one of metric, metrics, param, params, parameter, parameters, tag, tags, attribute, attributes, attr, run",
      0,
    );
  });

  it("rejects tags in experiment order", () => {
    expectError(
      "tags.owner DESC",
      "Invalid order_by entry 'tags.owner DESC': Unknown prefix 'tags' at position 0; expected one of attribute, attributes",
      0,
      EXPERIMENT_ORDER,
    );
  });

  it("rejects a direction other than ASC or DESC", () => {
    expectError("metrics.acc DOWN", "Invalid order_by entry 'metrics.acc DOWN': Expected ASC or DESC after metrics.acc at position 12, got 'DOWN'", 12);
  });

  it("rejects anything after the direction", () => {
    expectError("name DESC NULLS", "Invalid order_by entry 'name DESC NULLS': Unexpected 'NULLS' at position 10 after DESC", 10, MODEL_VERSION_ORDER);
  });

  it("rejects an entry that does not start with a name", () => {
    expectError("1 DESC", "Invalid order_by entry '1 DESC': Expected a name at position 0, got '1'", 0);
  });

  it("reports lexical errors with their position", () => {
    expectError("metrics.`val loss DESC", "Invalid order_by entry 'metrics.`val loss DESC': Unterminated quoted name starting at position 8", 8);
  });

  it("shortens a long entry in the message", () => {
    const entry = `metrics.${"m".repeat(200)} SIDEWAYS`;
    expectError(
      entry,
      `Invalid order_by entry '${entry.slice(0, 100)}…': Expected ASC or DESC after metrics.${"m".repeat(200)} at position 209, got 'SIDEWAYS'`,
      209,
    );
  });

  it("stops at the first bad entry", () => {
    expect(() => parseOrderBy(["name", "bogus"], EXPERIMENT_ORDER)).toThrow("Invalid order_by entry 'bogus'");
  });
});
