/**
 * Python's `float()` of a string. MLflow's server reads a metric value sent as a JSON string this
 * way (protobuf's JSON parser hands the text to `float()`), so Cairn accepts exactly the same
 * texts: surrounding whitespace, `_` between digits, `inf` / `infinity` / `nan` in any case, and
 * the decimal digits of any script; but not the hexadecimal, binary or octal (`0x10`) that
 * JavaScript's `Number()` reads.
 */

const DIGITS = String.raw`\d(?:_?\d)*`;
const PYTHON_FLOAT = new RegExp(String.raw`^[+-]?(?:(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:e[+-]?${DIGITS})?|inf|infinity|nan)$`, "i");

const DECIMAL_DIGIT = /\p{Nd}/u;
const WHITE_SPACE = /\p{White_Space}/u;

/** The value of a decimal digit of any script: digits come in runs of ten, zero first. */
function digitValue(codePoint: number): number {
  let zero = codePoint;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return (codePoint - zero) % 10;
}

/**
 * As Python does before parsing: other scripts' decimal digits become ASCII digits, Unicode
 * white space becomes a space; any other non-ASCII character makes the text invalid (null).
 */
function toAscii(text: string): string | null {
  let out = "";
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint < 127) out += char;
    else if (WHITE_SPACE.test(char)) out += " ";
    else if (DECIMAL_DIGIT.test(char)) out += String(digitValue(codePoint));
    else return null;
  }
  return out;
}

/** The number Python's `float(text)` gives, or null where it raises ValueError. */
export function parsePythonFloat(text: string): number | null {
  const ascii = /^[\x20-\x7e]*$/.test(text) ? text : toAscii(text);
  const trimmed = ascii?.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
  if (!trimmed || !PYTHON_FLOAT.test(trimmed)) return null;
  const unsigned = trimmed.replace(/^[+-]/, "").toLowerCase();
  const sign = trimmed.startsWith("-") ? -1 : 1;
  if (unsigned === "nan") return Number.NaN;
  if (unsigned === "inf" || unsigned === "infinity") return sign * Number.POSITIVE_INFINITY;
  return Number(trimmed.replace(/_/g, ""));
}
