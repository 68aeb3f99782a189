/**
 * The search-filter language shared by every search (runs, experiments, registered models, model
 * versions, logged models) and the UI's search box. It is MLflow's grammar (mlflow/utils/search_utils.py)
 * plus OR and parentheses; what each entity may be filtered by is data (a `FilterGrammar`), so a new
 * searchable entity is a new constant, not new parser code.
 */

export type EntityKind = "metric" | "param" | "tag" | "attribute" | "dataset";
/** `key` is canonical: aliases resolved for attributes (`created` → `start_time`), unquoted otherwise. */
export type Identifier = { kind: EntityKind; key: string };
export type Comparator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";
export type Literal = string | number;
export type Comparison = {
  type: "comparison";
  identifier: Identifier;
  comparator: Comparator;
  value: Literal | Literal[];
};
export type FilterExpr = Comparison | { type: "and" | "or"; operands: FilterExpr[] };

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset into the text that was parsed. */
    readonly position: number,
  ) {
    super(message);
    this.name = "FilterSyntaxError";
  }
}

export type ValueType = "string" | "number";
type FieldRule = { type: ValueType; comparators: readonly Comparator[] };

/**
 * The keys one entity kind accepts: any key sharing one rule (metrics, params, tags), or a closed
 * set (attributes, dataset fields) with optional spellings that map to a canonical key.
 */
type KeySpace<Rule> = { anyKey: Rule } | { keys: Readonly<Record<string, Rule>>; aliases?: Readonly<Record<string, string>> };

/**
 * What may be named in a filter or an order_by entry. `prefixes` maps each spelling before the first
 * dot (`metrics`, `metric`, …) to its kind; a name without a prefix is an attribute.
 */
export type IdentifierGrammar<Rule> = {
  prefixes: Readonly<Record<string, EntityKind>>;
  kinds: Readonly<Partial<Record<EntityKind, KeySpace<Rule>>>>;
};
export type FilterGrammar = IdentifierGrammar<FieldRule>;

const STRING_COMPARATORS = ["=", "!=", "LIKE", "ILIKE"] as const;
const LIST_COMPARATORS = ["IN", "NOT IN"] as const;
const NUMBER_COMPARATORS = ["=", "!=", "<", "<=", ">", ">="] as const;

const text: FieldRule = { type: "string", comparators: STRING_COMPARATORS };
const textOrList: FieldRule = { type: "string", comparators: [...STRING_COMPARATORS, ...LIST_COMPARATORS] };
const number: FieldRule = { type: "number", comparators: NUMBER_COMPARATORS };

const METRIC_PREFIXES = { metric: "metric", metrics: "metric" } as const;
const PARAM_PREFIXES = { param: "param", params: "param", parameter: "param", parameters: "param" } as const;
const TAG_PREFIXES = { tag: "tag", tags: "tag" } as const;
const ATTRIBUTE_PREFIXES = { attribute: "attribute", attributes: "attribute" } as const;
const DATASET_PREFIXES = { dataset: "dataset", datasets: "dataset" } as const;

export const RUN_FILTER: FilterGrammar = {
  prefixes: {
    ...METRIC_PREFIXES,
    ...PARAM_PREFIXES,
    ...TAG_PREFIXES,
    ...ATTRIBUTE_PREFIXES,
    attr: "attribute",
    run: "attribute",
    ...DATASET_PREFIXES,
  },
  kinds: {
    metric: { anyKey: number },
    param: { anyKey: text },
    tag: { anyKey: text },
    attribute: {
      keys: {
        // Only run_id takes a list: MLflow rejects IN for every other run attribute.
        run_id: textOrList,
        run_name: text,
        status: text,
        user_id: text,
        artifact_uri: text,
        lifecycle_stage: text,
        start_time: number,
        end_time: number,
      },
      // The spellings the MLflow UI shows as column headers.
      aliases: {
        created: "start_time",
        Created: "start_time",
        "run name": "run_name",
        "Run name": "run_name",
        "Run Name": "run_name",
      },
    },
    dataset: { keys: { name: textOrList, digest: textOrList, context: textOrList } },
  },
};

export const EXPERIMENT_FILTER: FilterGrammar = {
  prefixes: { ...ATTRIBUTE_PREFIXES, ...TAG_PREFIXES },
  kinds: {
    attribute: { keys: { name: text, creation_time: number, last_update_time: number } },
    tag: { anyKey: text },
  },
};

/** MLflow 3 clients add ``tag.`mlflow.prompt.is_prompt` != 'true'`` to every registered-model search. */
export const REGISTERED_MODEL_FILTER: FilterGrammar = {
  prefixes: { ...ATTRIBUTE_PREFIXES, ...TAG_PREFIXES },
  kinds: { attribute: { keys: { name: text } }, tag: { anyKey: text } },
};

export const MODEL_VERSION_FILTER: FilterGrammar = {
  prefixes: { ...ATTRIBUTE_PREFIXES, ...TAG_PREFIXES },
  kinds: {
    attribute: { keys: { name: text, run_id: textOrList, source_path: text, version_number: number } },
    tag: { anyKey: text },
  },
};

export const LOGGED_MODEL_FILTER: FilterGrammar = {
  prefixes: { ...METRIC_PREFIXES, ...PARAM_PREFIXES, ...TAG_PREFIXES, ...ATTRIBUTE_PREFIXES },
  kinds: {
    metric: { anyKey: number },
    param: { anyKey: text },
    tag: { anyKey: text },
    attribute: {
      // MLflow 3 lets every logged-model string attribute take a list.
      keys: {
        name: textOrList,
        model_id: textOrList,
        model_type: textOrList,
        status: textOrList,
        source_run_id: textOrList,
        creation_timestamp: number,
        last_updated_timestamp: number,
      },
      aliases: { creation_time: "creation_timestamp", last_updated_time: "last_updated_timestamp" },
    },
  },
};

// Long enough for any hand-written or generated filter; keeps a hostile one from costing much.
const MAX_FILTER_LENGTH = 10_000;
// Recursion follows parenthesis depth, so this bounds the stack.
const MAX_DEPTH = 50;

type Quote = "'" | '"' | "`";
type SymbolText = "=" | "!=" | "<" | "<=" | ">" | ">=" | "(" | ")" | ",";
/** `raw` is the token's source text, for messages. */
export type Token = { pos: number; raw: string } & (
  | { type: "word" }
  | { type: "prefixed"; prefix: string; key: string }
  | { type: "quoted"; quote: Quote; value: string }
  | { type: "number"; value: number }
  | { type: "symbol"; symbol: SymbolText }
  | { type: "end" }
);

const WORD_START = /[\p{L}_]/u;
const WORD_CHAR = /[\p{L}\p{N}_\-./:]/u;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const SYMBOLS: readonly SymbolText[] = ["!=", "<=", ">=", "=", "<", ">", "(", ")", ","];
// Spellings from other query languages, answered with the one this language uses.
const MISTAKES: Readonly<Record<string, string>> = { "==": "=", "<>": "!=", "&&": "AND", "||": "OR" };

/** Splits filter or order_by text into tokens; every lexical error is a `FilterSyntaxError`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/u.test(char)) {
      i++;
      continue;
    }
    const start = i;
    if (char === "'" || char === '"' || char === "`") {
      const quoted = readQuoted(source, start);
      tokens.push({ type: "quoted", quote: char, value: quoted.value, pos: start, raw: source.slice(start, quoted.end) });
      i = quoted.end;
    } else if (WORD_START.test(char)) {
      i = readWord(source, start, tokens);
    } else {
      const numberEnd = matchNumber(source, start);
      i = numberEnd === undefined ? readSymbol(source, start, tokens) : readNumber(source, start, numberEnd, tokens);
    }
  }
  tokens.push({ type: "end", pos: source.length, raw: "" });
  return tokens;
}

// Inside quotes a backslash escapes the next character and a doubled quote stands for one quote.
function readQuoted(source: string, start: number): { value: string; end: number } {
  const quote = source[start]!;
  let value = "";
  let i = start + 1;
  while (i < source.length) {
    const char = source[i]!;
    if (char === "\\" && i + 1 < source.length) {
      value += source[i + 1];
      i += 2;
    } else if (char === quote && source[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (char === quote) {
      return { value, end: i + 1 };
    } else {
      value += char;
      i++;
    }
  }
  const what = quote === "`" ? "quoted name" : "string";
  throw new FilterSyntaxError(`Unterminated ${what} starting at position ${start}`, start);
}

// A word is a keyword or a name; `metrics.` directly followed by a quote is a prefix with a quoted key.
function readWord(source: string, start: number, tokens: Token[]): number {
  let end = start + 1;
  while (end < source.length && WORD_CHAR.test(source[end]!)) end++;
  const word = source.slice(start, end);
  const next = source[end];
  if (word.endsWith(".") && (next === "`" || next === '"')) {
    const quoted = readQuoted(source, end);
    const raw = source.slice(start, quoted.end);
    tokens.push({ type: "prefixed", prefix: word.slice(0, -1), key: quoted.value, pos: start, raw });
    return quoted.end;
  }
  tokens.push({ type: "word", pos: start, raw: word });
  return end;
}

/** End of the number starting at `start`, if one does. */
function matchNumber(source: string, start: number): number | undefined {
  NUMBER.lastIndex = start;
  return NUMBER.test(source) ? NUMBER.lastIndex : undefined;
}

function readNumber(source: string, start: number, end: number, tokens: Token[]): number {
  let wordEnd = end;
  while (wordEnd < source.length && WORD_CHAR.test(source[wordEnd]!)) wordEnd++;
  const raw = source.slice(start, wordEnd);
  if (wordEnd > end) throw new FilterSyntaxError(`Invalid number '${raw}' at position ${start}`, start);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new FilterSyntaxError(`Number '${raw}' at position ${start} is out of range`, start);
  tokens.push({ type: "number", value, pos: start, raw });
  return end;
}

function readSymbol(source: string, start: number, tokens: Token[]): number {
  const pair = source.slice(start, start + 2);
  const instead = MISTAKES[pair];
  if (instead) throw new FilterSyntaxError(`Use '${instead}' instead of '${pair}' at position ${start}`, start);
  const symbol = SYMBOLS.find((s) => source.startsWith(s, start));
  if (!symbol) throw new FilterSyntaxError(`Unexpected character '${source[start]}' at position ${start}`, start);
  tokens.push({ type: "symbol", symbol, pos: start, raw: symbol });
  return start + symbol.length;
}

const KIND_NOUN: Record<EntityKind, string> = {
  metric: "metrics",
  param: "params",
  tag: "tags",
  attribute: "attribute",
  dataset: "dataset field",
};

// User text indexes these records, so inherited names such as "constructor" must not match.
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Reads a name (`metrics.acc`, ``tags.`mlflow.runName` ``, `"Run Name"`, `status`) against a grammar.
 * Returns undefined when the token cannot be a name at all, so callers can say what they expected;
 * throws for a name the grammar does not know.
 */
export function resolveIdentifier<Rule>(token: Token, grammar: IdentifierGrammar<Rule>): { identifier: Identifier; rule: Rule } | undefined {
  let prefix: string | undefined;
  let key: string;
  if (token.type === "word") {
    const dot = token.raw.indexOf(".");
    prefix = dot < 0 ? undefined : token.raw.slice(0, dot);
    key = dot < 0 ? token.raw : token.raw.slice(dot + 1);
  } else if (token.type === "prefixed") {
    prefix = token.prefix;
    key = token.key;
  } else if (token.type === "quoted" && token.quote !== "'") {
    key = token.value;
  } else if (token.type === "quoted") {
    throw new FilterSyntaxError(
      `Expected a name at position ${token.pos}, got the string ${token.raw}; quote names with backticks or double quotes`,
      token.pos,
    );
  } else {
    return undefined;
  }

  const kind = prefix === undefined ? "attribute" : own(grammar.prefixes, prefix.toLowerCase());
  const space = kind && grammar.kinds[kind];
  if (!kind || !space) {
    const known = Object.keys(grammar.prefixes).filter((p) => grammar.kinds[grammar.prefixes[p]!]);
    const what = prefix === undefined ? `'${key}' needs a prefix` : `Unknown prefix '${prefix}'`;
    throw new FilterSyntaxError(`${what} at position ${token.pos}; expected one of ${known.join(", ")}`, token.pos);
  }
  if (key === "") {
    const where = prefix === undefined ? "" : ` after '${prefix}.'`;
    throw new FilterSyntaxError(`Missing name${where} at position ${token.pos}`, token.pos);
  }
  if ("anyKey" in space) return { identifier: { kind, key }, rule: space.anyKey };

  const canonical = own(space.keys, key) !== undefined ? key : space.aliases && own(space.aliases, key);
  const rule = canonical === undefined ? undefined : own(space.keys, canonical);
  if (canonical === undefined || rule === undefined) {
    throw new FilterSyntaxError(
      `Unknown ${KIND_NOUN[kind]} '${key}' at position ${token.pos}; expected one of ${Object.keys(space.keys).join(", ")}`,
      token.pos,
    );
  }
  return { identifier: { kind, key: canonical }, rule };
}

/** Parses a filter into an AST checked against `grammar`; null when there is nothing to filter by. */
export function parseFilter(text: string | undefined | null, grammar: FilterGrammar): FilterExpr | null {
  if (text == null) return null;
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(`Filter is too long: ${text.length} characters, the limit is ${MAX_FILTER_LENGTH}`, MAX_FILTER_LENGTH);
  }
  if (text.trim() === "") return null;
  return new FilterParser(tokenize(text), grammar).parse();
}

const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "LIKE", "ILIKE"]);
const COMPARISON_SYMBOLS = new Set<SymbolText>(["=", "!=", "<", "<=", ">", ">="]);

function isKeyword(token: Token, keyword: string): boolean {
  return token.type === "word" && token.raw.toUpperCase() === keyword;
}

function isSymbol(token: Token, symbol: SymbolText): boolean {
  return token.type === "symbol" && token.symbol === symbol;
}

function got(token: Token): string {
  if (token.type === "end") return "";
  return token.type === "quoted" ? `, got ${token.raw}` : `, got '${token.raw}'`;
}

/** Merges nested and/or of the same type, so `a AND (b AND c)` is one AND of three. */
function combine(type: "and" | "or", operands: FilterExpr[]): FilterExpr {
  const flat = operands.flatMap((o) => (o.type === type ? o.operands : [o]));
  return flat.length === 1 ? flat[0]! : { type, operands: flat };
}

// or := and (OR and)* ; and := operand (AND operand)* ; operand := "(" or ")" | comparison
class FilterParser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly grammar: FilterGrammar,
  ) {}

  parse(): FilterExpr {
    const expr = this.parseOr();
    const next = this.peek();
    if (isSymbol(next, ")")) {
      throw new FilterSyntaxError(`Unbalanced parenthesis: ')' at position ${next.pos} has no matching '('`, next.pos);
    }
    if (next.type !== "end") {
      const message = `Expected AND, OR or the end of the filter at position ${next.pos}${got(next)}`;
      throw new FilterSyntaxError(message, next.pos);
    }
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private advance(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== "end") this.index++;
    return token;
  }

  /** `after` is the token before this expression, to say where a comparison was missing. */
  private parseOr(after?: Token): FilterExpr {
    const operands = [this.parseAnd(after)];
    while (isKeyword(this.peek(), "OR")) operands.push(this.parseAnd(this.advance()));
    return combine("or", operands);
  }

  private parseAnd(after?: Token): FilterExpr {
    const operands = [this.parseOperand(after)];
    while (isKeyword(this.peek(), "AND")) operands.push(this.parseOperand(this.advance()));
    return combine("and", operands);
  }

  private parseOperand(after?: Token): FilterExpr {
    const open = this.peek();
    if (!isSymbol(open, "(")) return this.parseComparison(after);
    this.advance();
    if (++this.depth > MAX_DEPTH) {
      throw new FilterSyntaxError(`Parentheses are nested too deeply at position ${open.pos}; the limit is ${MAX_DEPTH} levels`, open.pos);
    }
    const inner = this.parseOr(open);
    const close = this.advance();
    if (close.type === "end") {
      throw new FilterSyntaxError(`Unbalanced parenthesis: '(' at position ${open.pos} is never closed`, open.pos);
    }
    if (!isSymbol(close, ")")) {
      throw new FilterSyntaxError(`Expected AND, OR or ')' at position ${close.pos}${got(close)}`, close.pos);
    }
    this.depth--;
    return inner;
  }

  private parseComparison(after?: Token): Comparison {
    const token = this.advance();
    const isKeywordToken = token.type === "word" && KEYWORDS.has(token.raw.toUpperCase());
    const resolved = isKeywordToken ? undefined : resolveIdentifier(token, this.grammar);
    if (!resolved) {
      const where = after ? `after '${after.raw}' at position ${token.pos}` : `at position ${token.pos}`;
      throw new FilterSyntaxError(`Expected a comparison ${where}${got(token)}`, token.pos);
    }
    const { identifier, rule } = resolved;
    const name = token.raw;
    const comparatorToken = this.peek();
    const comparator = this.parseComparator(name, rule);
    if (!rule.comparators.includes(comparator)) {
      // "for metrics" reads better than "for metrics.acc"; attributes are named as written.
      const closedKeys = identifier.kind === "attribute" || identifier.kind === "dataset";
      const subject = closedKeys ? name : KIND_NOUN[identifier.kind];
      const allowed = rule.comparators.join(", ");
      const at = comparatorToken.pos;
      throw new FilterSyntaxError(`${comparator} is not allowed for ${subject} at position ${at}; use one of ${allowed}`, at);
    }
    const takesList = comparator === "IN" || comparator === "NOT IN";
    const value = takesList ? this.parseList(name, rule, comparator) : this.parseValue(name, rule, comparator);
    return { type: "comparison", identifier, comparator, value };
  }

  private parseComparator(name: string, rule: FieldRule): Comparator {
    const token = this.advance();
    if (token.type === "symbol" && COMPARISON_SYMBOLS.has(token.symbol)) return token.symbol as Comparator;
    if (isKeyword(token, "LIKE") || isKeyword(token, "ILIKE") || isKeyword(token, "IN")) {
      return token.raw.toUpperCase() as Comparator;
    }
    if (isKeyword(token, "NOT")) {
      const next = this.advance();
      if (isKeyword(next, "IN")) return "NOT IN";
      throw new FilterSyntaxError(`Expected IN after NOT at position ${next.pos}${got(next)}`, next.pos);
    }
    throw new FilterSyntaxError(
      `Expected a comparator after ${name} at position ${token.pos}${got(token)}; use one of ${rule.comparators.join(", ")}`,
      token.pos,
    );
  }

  private parseList(name: string, rule: FieldRule, comparator: Comparator): Literal[] {
    const open = this.advance();
    if (!isSymbol(open, "(")) {
      throw new FilterSyntaxError(`${comparator} expects a list in parentheses, such as ('a', 'b'), at position ${open.pos}${got(open)}`, open.pos);
    }
    const values: Literal[] = [];
    for (;;) {
      const next = this.peek();
      if (isSymbol(next, ")") && values.length === 0) {
        throw new FilterSyntaxError(`${comparator} expects at least one value at position ${next.pos}`, next.pos);
      }
      values.push(this.parseValue(name, rule, values.length ? "," : "("));
      const separator = this.advance();
      if (isSymbol(separator, ")")) return values;
      if (separator.type === "end") {
        throw new FilterSyntaxError(`Unbalanced parenthesis: the list at position ${open.pos} is never closed`, open.pos);
      }
      if (!isSymbol(separator, ",")) {
        const message = `Expected ',' or ')' in the list at position ${separator.pos}${got(separator)}`;
        throw new FilterSyntaxError(message, separator.pos);
      }
    }
  }

  private parseValue(name: string, rule: FieldRule, after: string): Literal {
    const token = this.advance();
    const at = `at position ${token.pos}`;
    const isString = token.type === "quoted" && token.quote !== "`";
    if (token.type === "number" && rule.type === "number") return token.value;
    if (isString && rule.type === "string") return token.value;
    if (isString || token.type === "number" || token.type === "word") {
      const expected = rule.type === "number" ? "a number" : "a quoted string";
      const hint = rule.type === "string" ? `; write '${token.raw}'` : "";
      throw new FilterSyntaxError(`${name} expects ${expected}, got ${token.raw} ${at}${hint}`, token.pos);
    }
    if (token.type === "quoted") {
      throw new FilterSyntaxError(`Backticks quote names, not values, ${at}; quote values with ' or "`, token.pos);
    }
    if (isSymbol(token, "(")) {
      throw new FilterSyntaxError(`A list of values is only allowed after IN or NOT IN ${at}`, token.pos);
    }
    throw new FilterSyntaxError(`Expected a value after '${after}' ${at}${got(token)}`, token.pos);
  }
}
