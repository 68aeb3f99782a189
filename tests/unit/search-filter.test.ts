import { describe, expect, it } from "vitest";
import {
  EXPERIMENT_FILTER,
  FilterSyntaxError,
  LOGGED_MODEL_FILTER,
  MODEL_VERSION_FILTER,
  REGISTERED_MODEL_FILTER,
  RUN_FILTER,
  parseFilter,
  type Comparator,
  type Comparison,
  type EntityKind,
  type FilterExpr,
  type FilterGrammar,
  type Literal,
} from "../../server/search/filter";

const compare = (kind: EntityKind, key: string, comparator: Comparator, value: Literal | Literal[]): Comparison => ({
  type: "comparison",
  identifier: { kind, key },
  comparator,
  value,
});
const and = (...operands: FilterExpr[]): FilterExpr => ({ type: "and", operands });
const or = (...operands: FilterExpr[]): FilterExpr => ({ type: "or", operands });

const a = compare("metric", "a", "=", 1);
const b = compare("metric", "b", "=", 2);
const c = compare("metric", "c", "=", 3);
const d = compare("metric", "d", "=", 4);

function errorOf(text: string, grammar: FilterGrammar = RUN_FILTER): FilterSyntaxError {
  try {
    parseFilter(text, grammar);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected '${text.slice(0, 80)}' to be rejected`);
}

function expectError(text: string, message: string, position: number, grammar: FilterGrammar = RUN_FILTER) {
  const error = errorOf(text, grammar);
  expect({ message: error.message, position: error.position }).toEqual({ message, position });
}

const RUN_ATTRIBUTES = "expected one of run_id, run_name, status, user_id, artifact_uri, lifecycle_stage, start_time, end_time";

describe("parseFilter: empty input", () => {
  it.each([undefined, null, "", "   ", "\n\t  "])("returns null for %j", (text) => {
    expect(parseFilter(text, RUN_FILTER)).toBeNull();
  });
});

describe("parseFilter: metrics in run search", () => {
  it.each(["=", "!=", "<", "<=", ">", ">="] as const)("accepts %s with a number", (op) => {
    expect(parseFilter(`metrics.acc ${op} 0.5`, RUN_FILTER)).toEqual(compare("metric", "acc", op, 0.5));
  });

  it("accepts the singular prefix and no spaces around the operator", () => {
    expect(parseFilter("metric.loss<=1", RUN_FILTER)).toEqual(compare("metric", "loss", "<=", 1));
  });

  it.each(["LIKE", "ILIKE"])("rejects %s", (op) => {
    expectError(`metrics.acc ${op} '%a'`, `${op} is not allowed for metrics at position 12; use one of =, !=, <, <=, >, >=`, 12);
  });

  it("rejects IN with a list", () => {
    expectError("metrics.acc IN (1, 2)", "IN is not allowed for metrics at position 12; use one of =, !=, <, <=, >, >=", 12);
  });

  it("rejects a quoted value", () => {
    expectError("metrics.acc > 'high'", "metrics.acc expects a number, got 'high' at position 14", 14);
  });

  it("rejects a bare word", () => {
    expectError("metrics.acc > high", "metrics.acc expects a number, got high at position 14", 14);
  });
});

describe("parseFilter: params in run search", () => {
  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("accepts %s with a quoted string", (op) => {
    expect(parseFilter(`params.optimizer ${op} 'adam'`, RUN_FILTER)).toEqual(compare("param", "optimizer", op, "adam"));
  });

  it.each(["param", "params", "parameter", "parameters"])("accepts the prefix %s", (prefix) => {
    expect(parseFilter(`${prefix}.lr = '0.01'`, RUN_FILTER)).toEqual(compare("param", "lr", "=", "0.01"));
  });

  it("rejects numeric comparators", () => {
    expectError("params.lr > '0.1'", "> is not allowed for params at position 10; use one of =, !=, LIKE, ILIKE", 10);
  });

  it("rejects an unquoted number, suggesting quotes", () => {
    expectError("params.lr = 0.01", "params.lr expects a quoted string, got 0.01 at position 12; write '0.01'", 12);
  });

  it("rejects an unquoted word, suggesting quotes", () => {
    expectError("params.optimizer = adam", "params.optimizer expects a quoted string, got adam at position 19; write 'adam'", 19);
  });
});

describe("parseFilter: tags in run search", () => {
  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("accepts %s", (op) => {
    expect(parseFilter(`tags.team ${op} 'vision'`, RUN_FILTER)).toEqual(compare("tag", "team", op, "vision"));
  });

  it("keeps everything after the first dot of an unquoted name as the key", () => {
    expect(parseFilter("tags.mlflow.source.type = 'NOTEBOOK'", RUN_FILTER)).toEqual(compare("tag", "mlflow.source.type", "=", "NOTEBOOK"));
  });

  it("accepts the singular prefix with a backticked key", () => {
    expect(parseFilter("tag.`mlflow.runName` = 'bold-fox-1'", RUN_FILTER)).toEqual(compare("tag", "mlflow.runName", "=", "bold-fox-1"));
  });

  it("accepts slashes and colons in unquoted keys", () => {
    expect(parseFilter("tags.team/sub:key = 'x'", RUN_FILTER)).toEqual(compare("tag", "team/sub:key", "=", "x"));
  });

  it("rejects IN", () => {
    expectError("tags.team IN ('a')", "IN is not allowed for tags at position 10; use one of =, !=, LIKE, ILIKE", 10);
  });
});

describe("parseFilter: run attributes", () => {
  const strings = ["run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage"];

  it.each(strings.flatMap((key) => (["=", "!=", "LIKE", "ILIKE"] as const).map((op) => [key, op] as const)))("accepts %s %s", (key, op) => {
    expect(parseFilter(`${key} ${op} 'x%'`, RUN_FILTER)).toEqual(compare("attribute", key, op, "x%"));
  });

  it.each(["start_time", "end_time"].flatMap((key) => (["=", "!=", "<", "<=", ">", ">="] as const).map((op) => [key, op] as const)))(
    "accepts %s %s with a number",
    (key, op) => {
      expect(parseFilter(`${key} ${op} 1700000000000`, RUN_FILTER)).toEqual(compare("attribute", key, op, 1700000000000));
    },
  );

  it.each(["attributes", "attribute", "attr", "run"])("accepts the prefix %s", (prefix) => {
    expect(parseFilter(`${prefix}.status = 'FINISHED'`, RUN_FILTER)).toEqual(compare("attribute", "status", "=", "FINISHED"));
  });

  it("matches prefixes case-insensitively", () => {
    expect(parseFilter("Metrics.acc > 1 and ATTRIBUTES.status = 'x'", RUN_FILTER)).toEqual(
      and(compare("metric", "acc", ">", 1), compare("attribute", "status", "=", "x")),
    );
  });

  it.each([
    ["created > 5", "start_time"],
    ["Created > 5", "start_time"],
    ["attributes.created > 5", "start_time"],
  ])("resolves the alias in %s", (text, key) => {
    expect(parseFilter(text, RUN_FILTER)).toEqual(compare("attribute", key, ">", 5));
  });

  it.each(["`run name`", '"Run name"', "`Run Name`", "attributes.`run name`"])("resolves the quoted alias %s to run_name", (name) => {
    expect(parseFilter(`${name} = 'bold-fox'`, RUN_FILTER)).toEqual(compare("attribute", "run_name", "=", "bold-fox"));
  });

  it("keeps attribute names case-sensitive", () => {
    expectError("Status = 'x'", `Unknown attribute 'Status' at position 0; ${RUN_ATTRIBUTES}`, 0);
  });

  it.each(["IN", "NOT IN"] as const)("accepts run_id %s with a list", (op) => {
    expect(parseFilter(`run_id ${op} ('a1', 'b2')`, RUN_FILTER)).toEqual(compare("attribute", "run_id", op, ["a1", "b2"]));
  });

  it("rejects IN for other string attributes", () => {
    expectError("status IN ('RUNNING')", "IN is not allowed for status at position 7; use one of =, !=, LIKE, ILIKE", 7);
  });

  it("rejects LIKE for numeric attributes, naming the attribute as written", () => {
    expectError("created LIKE '1%'", "LIKE is not allowed for created at position 8; use one of =, !=, <, <=, >, >=", 8);
  });

  it("rejects a quoted value for a numeric attribute", () => {
    expectError("start_time > '5'", "start_time expects a number, got '5' at position 13", 13);
  });

  it("names the unknown attribute, its position and the known ones", () => {
    expectError("status = 'a' and colour = 'red'", `Unknown attribute 'colour' at position 17; ${RUN_ATTRIBUTES}`, 17);
  });
});

describe("parseFilter: datasets in run search", () => {
  it.each(["name", "digest", "context"].flatMap((key) => (["=", "!=", "LIKE", "ILIKE"] as const).map((op) => [key, op] as const)))(
    "accepts datasets.%s %s",
    (key, op) => {
      expect(parseFilter(`datasets.${key} ${op} 'v'`, RUN_FILTER)).toEqual(compare("dataset", key, op, "v"));
    },
  );

  it.each(["IN", "NOT IN"] as const)("accepts %s with a list, under either prefix", (op) => {
    expect(parseFilter(`dataset.context ${op} ('training', 'eval')`, RUN_FILTER)).toEqual(compare("dataset", "context", op, ["training", "eval"]));
  });

  it("rejects unknown dataset fields", () => {
    expectError("datasets.source = 'x'", "Unknown dataset field 'source' at position 0; expected one of name, digest, context", 0);
  });

  it("rejects numeric comparators", () => {
    expectError("datasets.name > 'a'", "> is not allowed for datasets.name at position 14; use one of =, !=, LIKE, ILIKE, IN, NOT IN", 14);
  });
});

describe("parseFilter: AND, OR and parentheses", () => {
  it("binds AND tighter than OR", () => {
    expect(parseFilter("metrics.a = 1 AND metrics.b = 2 OR metrics.c = 3", RUN_FILTER)).toEqual(or(and(a, b), c));
    expect(parseFilter("metrics.a = 1 OR metrics.b = 2 AND metrics.c = 3", RUN_FILTER)).toEqual(or(a, and(b, c)));
  });

  it("lets parentheses override precedence", () => {
    expect(parseFilter("metrics.a = 1 AND (metrics.b = 2 OR metrics.c = 3)", RUN_FILTER)).toEqual(and(a, or(b, c)));
    expect(parseFilter("(metrics.a = 1 OR metrics.b = 2) AND (metrics.c = 3 OR metrics.d = 4)", RUN_FILTER)).toEqual(and(or(a, b), or(c, d)));
  });

  it("flattens nested operations of the same type", () => {
    expect(parseFilter("metrics.a = 1 AND (metrics.b = 2 AND metrics.c = 3)", RUN_FILTER)).toEqual(and(a, b, c));
    expect(parseFilter("(metrics.a = 1 OR (metrics.b = 2)) OR metrics.c = 3", RUN_FILTER)).toEqual(or(a, b, c));
    expect(parseFilter("metrics.a = 1 AND metrics.b = 2 AND metrics.c = 3 AND metrics.d = 4", RUN_FILTER)).toEqual(and(a, b, c, d));
  });

  it("unwraps redundant parentheses", () => {
    expect(parseFilter("(((metrics.a = 1)))", RUN_FILTER)).toEqual(a);
  });

  it("keeps alternating nesting", () => {
    expect(parseFilter("metrics.a = 1 OR (metrics.b = 2 AND (metrics.c = 3 OR metrics.d = 4))", RUN_FILTER)).toEqual(or(a, and(b, or(c, d))));
  });

  it("reads keywords in any case", () => {
    expect(parseFilter("metrics.a = 1 and metrics.b = 2 Or metrics.c = 3", RUN_FILTER)).toEqual(or(and(a, b), c));
    expect(parseFilter("params.x like 'a%' AND params.y iLike 'b%'", RUN_FILTER)).toEqual(
      and(compare("param", "x", "LIKE", "a%"), compare("param", "y", "ILIKE", "b%")),
    );
    expect(parseFilter("run_id not in ('a') and run_id In ('b')", RUN_FILTER)).toEqual(
      and(compare("attribute", "run_id", "NOT IN", ["a"]), compare("attribute", "run_id", "IN", ["b"])),
    );
  });

  it("needs no whitespace around parentheses and quotes", () => {
    expect(parseFilter("(params.x='a')AND(params.y='b')", RUN_FILTER)).toEqual(and(compare("param", "x", "=", "a"), compare("param", "y", "=", "b")));
  });

  it("accepts 50 levels of parentheses", () => {
    expect(parseFilter(`${"(".repeat(50)}metrics.a = 1${")".repeat(50)}`, RUN_FILTER)).toEqual(a);
  });
});

describe("parseFilter: quoting", () => {
  it("reads backticked and double-quoted keys", () => {
    expect(parseFilter("metrics.`val-loss` < 0.3 AND params.\"learning rate\" = '0.1'", RUN_FILTER)).toEqual(
      and(compare("metric", "val-loss", "<", 0.3), compare("param", "learning rate", "=", "0.1")),
    );
  });

  it("reads dashes in unquoted keys", () => {
    expect(parseFilter("metrics.val-loss < 0.3", RUN_FILTER)).toEqual(compare("metric", "val-loss", "<", 0.3));
  });

  it("reads a double-quoted token as a value after a comparator", () => {
    expect(parseFilter('params.model = "resnet"', RUN_FILTER)).toEqual(compare("param", "model", "=", "resnet"));
  });

  it.each([
    ["'it''s'", "it's"],
    ["'it\\'s'", "it's"],
    ['"say ""hi"""', 'say "hi"'],
    ['"say \\"hi\\""', 'say "hi"'],
    ["'back\\\\slash'", "back\\slash"],
    ["'a \"quoted\" word'", 'a "quoted" word'],
    ["''", ""],
    ["'x AND y OR (z)'", "x AND y OR (z)"],
    ["'ünïcødé ✓'", "ünïcødé ✓"],
  ])("reads the value %s", (literal, value) => {
    expect(parseFilter(`params.p = ${literal}`, RUN_FILTER)).toEqual(compare("param", "p", "=", value));
  });

  it("unescapes doubled backticks in names", () => {
    expect(parseFilter("tags.`odd``name` = 'x'", RUN_FILTER)).toEqual(compare("tag", "odd`name", "=", "x"));
  });
});

describe("parseFilter: numbers", () => {
  it.each([
    ["42", 42],
    ["-1", -1],
    ["+3", 3],
    ["0.25", 0.25],
    [".5", 0.5],
    ["-.5", -0.5],
    ["1e3", 1000],
    ["2.5E-2", 0.025],
    ["-1e+2", -100],
    ["1700000000000", 1700000000000],
  ])("reads %s", (literal, value) => {
    expect(parseFilter(`metrics.m >= ${literal}`, RUN_FILTER)).toEqual(compare("metric", "m", ">=", value));
  });

  it("reads a negative number right after the operator", () => {
    expect(parseFilter("metrics.m>-2", RUN_FILTER)).toEqual(compare("metric", "m", ">", -2));
  });

  it.each(["1e", "1.2.3", "5abc"])("rejects the malformed number %s", (literal) => {
    expectError(`metrics.m > ${literal}`, `Invalid number '${literal}' at position 12`, 12);
  });

  it("rejects numbers out of range", () => {
    expectError("metrics.m > 1e999", "Number '1e999' at position 12 is out of range", 12);
  });
});

describe("parseFilter: lists", () => {
  it("reads a single-element list", () => {
    expect(parseFilter("run_id IN ('a')", RUN_FILTER)).toEqual(compare("attribute", "run_id", "IN", ["a"]));
  });

  it("reads mixed quotes and escapes in a list", () => {
    expect(parseFilter(`run_id IN ('a', "b", 'c''d')`, RUN_FILTER)).toEqual(compare("attribute", "run_id", "IN", ["a", "b", "c'd"]));
  });

  it("checks each element's type", () => {
    expectError("run_id IN ('a', 2)", "run_id expects a quoted string, got 2 at position 16; write '2'", 16);
  });

  it("rejects an empty list", () => {
    expectError("run_id IN ()", "IN expects at least one value at position 11", 11);
  });

  it("requires parentheses after IN", () => {
    expectError("run_id IN 'a'", "IN expects a list in parentheses, such as ('a', 'b'), at position 10, got 'a'", 10);
  });

  it("rejects a list after other comparators", () => {
    expectError("run_id = ('a', 'b')", "A list of values is only allowed after IN or NOT IN at position 9", 9);
  });

  it("rejects a missing comma", () => {
    expectError("run_id IN ('a' 'b')", "Expected ',' or ')' in the list at position 15, got 'b'", 15);
  });

  it("rejects a trailing comma", () => {
    expectError("run_id IN ('a',)", "Expected a value after ',' at position 15, got ')'", 15);
  });

  it("reports a list that is never closed", () => {
    expectError("run_id IN ('a', 'b'", "Unbalanced parenthesis: the list at position 10 is never closed", 10);
  });
});

describe("parseFilter: experiment search", () => {
  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("accepts name %s", (op) => {
    expect(parseFilter(`name ${op} 'churn%'`, EXPERIMENT_FILTER)).toEqual(compare("attribute", "name", op, "churn%"));
  });

  it.each(["creation_time", "last_update_time"])("accepts numeric comparisons on %s", (key) => {
    expect(parseFilter(`attribute.${key} >= 100 AND attributes.${key} < 200`, EXPERIMENT_FILTER)).toEqual(
      and(compare("attribute", key, ">=", 100), compare("attribute", key, "<", 200)),
    );
  });

  it("accepts tags under both prefixes", () => {
    expect(parseFilter("tags.owner = 'ana' OR tag.`mlflow.note.content` LIKE '%x%'", EXPERIMENT_FILTER)).toEqual(
      or(compare("tag", "owner", "=", "ana"), compare("tag", "mlflow.note.content", "LIKE", "%x%")),
    );
  });

  it("rejects prefixes experiments do not have", () => {
    expectError("metrics.acc > 1", "Unknown prefix 'metrics' at position 0; expected one of attribute, attributes, tag, tags", 0, EXPERIMENT_FILTER);
  });

  it("rejects run attributes", () => {
    expectError("status = 'x'", "Unknown attribute 'status' at position 0; expected one of name, creation_time, last_update_time", 0, EXPERIMENT_FILTER);
  });

  it("rejects LIKE on times", () => {
    expectError("creation_time LIKE '1%'", "LIKE is not allowed for creation_time at position 14; use one of =, !=, <, <=, >, >=", 14, EXPERIMENT_FILTER);
  });
});

describe("parseFilter: registered-model search", () => {
  it("parses the filter MLflow 3 clients add to hide prompts", () => {
    expect(parseFilter("tag.`mlflow.prompt.is_prompt` != 'true'", REGISTERED_MODEL_FILTER)).toEqual(compare("tag", "mlflow.prompt.is_prompt", "!=", "true"));
  });

  it("parses a user filter joined with the prompt filter", () => {
    expect(parseFilter("name LIKE 'fraud%' AND tag.`mlflow.prompt.is_prompt` != 'true'", REGISTERED_MODEL_FILTER)).toEqual(
      and(compare("attribute", "name", "LIKE", "fraud%"), compare("tag", "mlflow.prompt.is_prompt", "!=", "true")),
    );
  });

  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("accepts name and tags with %s", (op) => {
    expect(parseFilter(`name ${op} 'm' AND tags.k ${op} 'v'`, REGISTERED_MODEL_FILTER)).toEqual(
      and(compare("attribute", "name", op, "m"), compare("tag", "k", op, "v")),
    );
  });

  it("accepts the attribute prefix", () => {
    expect(parseFilter("attribute.name = 'm'", REGISTERED_MODEL_FILTER)).toEqual(compare("attribute", "name", "=", "m"));
  });

  it("rejects other attributes", () => {
    expectError("creation_timestamp > 1", "Unknown attribute 'creation_timestamp' at position 0; expected one of name", 0, REGISTERED_MODEL_FILTER);
  });

  it("rejects IN on name", () => {
    expectError("name IN ('a')", "IN is not allowed for name at position 5; use one of =, !=, LIKE, ILIKE", 5, REGISTERED_MODEL_FILTER);
  });
});

describe("parseFilter: model-version search", () => {
  it("parses the usual client call", () => {
    expect(parseFilter("name='fraud-detector'", MODEL_VERSION_FILTER)).toEqual(compare("attribute", "name", "=", "fraud-detector"));
  });

  it.each(["=", "!=", "LIKE", "ILIKE"] as const)("accepts %s on strings", (op) => {
    expect(parseFilter(`source_path ${op} 's' AND tags.k ${op} 'v'`, MODEL_VERSION_FILTER)).toEqual(
      and(compare("attribute", "source_path", op, "s"), compare("tag", "k", op, "v")),
    );
  });

  it.each(["IN", "NOT IN"] as const)("accepts run_id %s", (op) => {
    expect(parseFilter(`run_id ${op} ('r1', 'r2')`, MODEL_VERSION_FILTER)).toEqual(compare("attribute", "run_id", op, ["r1", "r2"]));
  });

  it.each(["=", "!=", "<", "<=", ">", ">="] as const)("accepts version_number %s", (op) => {
    expect(parseFilter(`version_number ${op} 3`, MODEL_VERSION_FILTER)).toEqual(compare("attribute", "version_number", op, 3));
  });

  it("rejects IN on name and LIKE on version_number", () => {
    expectError("name IN ('a')", "IN is not allowed for name at position 5; use one of =, !=, LIKE, ILIKE", 5, MODEL_VERSION_FILTER);
    expectError("version_number LIKE '1'", "LIKE is not allowed for version_number at position 15; use one of =, !=, <, <=, >, >=", 15, MODEL_VERSION_FILTER);
  });

  it("rejects a quoted version number", () => {
    expectError("version_number = '3'", "version_number expects a number, got '3' at position 17", 17, MODEL_VERSION_FILTER);
  });
});

describe("parseFilter: logged-model search", () => {
  it("reads attributes, metrics, params and tags", () => {
    expect(
      parseFilter(
        "name = 'clf' AND status IN ('LOGGED_MODEL_READY') AND metrics.accuracy > 0.9 AND params.depth = '4' AND tags.team = 'x'",
        LOGGED_MODEL_FILTER,
      ),
    ).toEqual(
      and(
        compare("attribute", "name", "=", "clf"),
        compare("attribute", "status", "IN", ["LOGGED_MODEL_READY"]),
        compare("metric", "accuracy", ">", 0.9),
        compare("param", "depth", "=", "4"),
        compare("tag", "team", "=", "x"),
      ),
    );
  });

  it.each([
    ["creation_time", "creation_timestamp"],
    ["creation_timestamp", "creation_timestamp"],
    ["last_updated_timestamp", "last_updated_timestamp"],
    ["last_updated_time", "last_updated_timestamp"],
  ])("maps %s to %s", (name, key) => {
    expect(parseFilter(`${name} > 10`, LOGGED_MODEL_FILTER)).toEqual(compare("attribute", key, ">", 10));
  });

  it.each(["model_id", "model_type", "source_run_id"])("accepts %s NOT IN", (key) => {
    expect(parseFilter(`${key} NOT IN ('a')`, LOGGED_MODEL_FILTER)).toEqual(compare("attribute", key, "NOT IN", ["a"]));
  });

  it("rejects dataset fields", () => {
    expectError(
      "datasets.name = 'x'",
      "Unknown prefix 'datasets' at position 0; expected one of metric, metrics, param, params, parameter, parameters, tag, tags, attribute, attributes",
      0,
      LOGGED_MODEL_FILTER,
    );
  });
});

describe("parseFilter: errors", () => {
  it("is a FilterSyntaxError, and an Error", () => {
    const error = errorOf("status =");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("FilterSyntaxError");
  });

  it.each([
    ["x = 'abc", "Unterminated string starting at position 4", 4],
    ['params.p = "abc', "Unterminated string starting at position 11", 11],
    ["params.p = 'ends with a backslash\\'", "Unterminated string starting at position 11", 11],
    ["tags.`open = 'x'", "Unterminated quoted name starting at position 5", 5],
    ["(status = 'a'", "Unbalanced parenthesis: '(' at position 0 is never closed", 0],
    ["((status = 'a') OR (status = 'b')", "Unbalanced parenthesis: '(' at position 0 is never closed", 0],
    ["status = 'a')", "Unbalanced parenthesis: ')' at position 12 has no matching '('", 12],
    ["status = 'a' and ", "Expected a comparison after 'and' at position 17", 17],
    ["status = 'a' OR )", "Expected a comparison after 'OR' at position 16, got ')'", 16],
    ["AND status = 'a'", "Expected a comparison at position 0, got 'AND'", 0],
    ["()", "Expected a comparison after '(' at position 1, got ')'", 1],
    ["status = 'a' status = 'b'", "Expected AND, OR or the end of the filter at position 13, got 'status'", 13],
    ["(status = 'a' status = 'b')", "Expected AND, OR or ')' at position 14, got 'status'", 14],
    ["status 'a'", "Expected a comparator after status at position 7, got 'a'; use one of =, !=, LIKE, ILIKE", 7],
    ["status", "Expected a comparator after status at position 6; use one of =, !=, LIKE, ILIKE", 6],
    ["run_id NOT LIKE 'a'", "Expected IN after NOT at position 11, got 'LIKE'", 11],
    ["NOT status = 'a'", "Expected a comparison at position 0, got 'NOT'", 0],
    ["status =", "Expected a value after '=' at position 8", 8],
    ["status = )", "Expected a value after '=' at position 9, got ')'", 9],
    ["status = `a`", "Backticks quote names, not values, at position 9; quote values with ' or \"", 9],
    ["'status' = 'a'", "Expected a name at position 0, got the string 'status'; quote names with backticks or double quotes", 0],
    ["metrics. = 1", "Missing name after 'metrics.' at position 0", 0],
    ["metrics.`` = 1", "Missing name after 'metrics.' at position 0", 0],
    ["\"\" = 'x'", "Missing name at position 0", 0],
    ["constructor = 'x'", `Unknown attribute 'constructor' at position 0; ${RUN_ATTRIBUTES}`, 0],
    ["toString = 'x'", `Unknown attribute 'toString' at position 0; ${RUN_ATTRIBUTES}`, 0],
    [
      "__proto__.x = 'x'",
      "Unknown prefix '__proto__' at position 0; expected one of metric, metrics, param, params, parameter, parameters, tag, tags, attribute, attributes, attr, run, dataset, datasets",
      0,
    ],
    [
      "foo.bar = 'x'",
      "Unknown prefix 'foo' at position 0; expected one of metric, metrics, param, params, parameter, parameters, tag, tags, attribute, attributes, attr, run, dataset, datasets",
      0,
    ],
    ["status == 'a'", "Use '=' instead of '==' at position 7", 7],
    ["status <> 'a'", "Use '!=' instead of '<>' at position 7", 7],
    ["status = 'a' && status = 'b'", "Use 'AND' instead of '&&' at position 13", 13],
    ["status = 'a' || status = 'b'", "Use 'OR' instead of '||' at position 13", 13],
    ["status = 'a' # comment", "Unexpected character '#' at position 13", 13],
    ["metrics.a > - 1", "Unexpected character '-' at position 12", 12],
  ])("rejects %j", (text, message, position) => {
    expectError(text, message, position);
  });

  it("accepts a filter of exactly 10,000 characters", () => {
    const text = `params.p = '${"x".repeat(10_000 - 13)}'`;
    expect(text).toHaveLength(10_000);
    expect(parseFilter(text, RUN_FILTER)).toEqual(compare("param", "p", "=", "x".repeat(10_000 - 13)));
  });

  it("rejects a filter longer than 10,000 characters", () => {
    expectError(`params.p = '${"x".repeat(10_000)}'`, "Filter is too long: 10013 characters, the limit is 10000", 10_000);
  });

  it("rejects more than 50 levels of parentheses at the 51st", () => {
    expectError(`${"(".repeat(51)}metrics.a = 1${")".repeat(51)}`, "Parentheses are nested too deeply at position 50; the limit is 50 levels", 50);
  });

  it("rejects pathological nesting without overflowing the stack", () => {
    expectError("(".repeat(9_999), "Parentheses are nested too deeply at position 50; the limit is 50 levels", 50);
  });

  it("handles a long flat chain of ORs", () => {
    const text = Array.from({ length: 500 }, (_, i) => `metrics.m = ${i}`).join(" OR ");
    const parsed = parseFilter(text, RUN_FILTER);
    expect(parsed).toMatchObject({ type: "or" });
    expect(parsed?.type === "or" && parsed.operands).toHaveLength(500);
  });
});
