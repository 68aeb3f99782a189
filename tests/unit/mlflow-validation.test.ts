import { describe, expect, it } from "vitest";
import { double, keyField, valueField } from "../../server/services/tracking/limits";
import { parsePythonFloat } from "../../server/services/tracking/python-float";

// Expected results are what MLflow 3.17.2's server answered (its Flask handlers on a SQLite store),
// and for parsePythonFloat what Python 3.11's float() gives.

describe("metric values as MLflow's server reads them", () => {
  const read = (value: unknown) => {
    const parsed = double.safeParse(value);
    return parsed.success ? parsed.data : "refused";
  };

  it("reads strings as Python's float() does", () => {
    const cases: Array<[string, number | "refused"]> = [
      ["0x10", "refused"],
      ["0b1", "refused"],
      ["0o7", "refused"],
      ["1e999", Infinity],
      ["-1e999", -Infinity],
      [" 1", 1],
      ["1 ", 1],
      ["\n1\n", 1],
      ["\u00a01", 1],
      ["1_000", 1000],
      ["1e1_0", 1e10],
      ["1__000", "refused"],
      ["_1", "refused"],
      ["1_", "refused"],
      ["1_.5", "refused"],
      ["Infinity", Infinity],
      ["-Infinity", -Infinity],
      ["infinity", Infinity],
      ["inf", Infinity],
      ["+INF", Infinity],
      ["Infinityx", "refused"],
      ["1.5", 1.5],
      ["1.", 1],
      [".5", 0.5],
      ["+1", 1],
      ["1e5", 1e5],
      ["1e-400", 0],
      ["\u0661\u0662", 12],
      ["\uff11", 1],
      ["1,5", "refused"],
      ["1d", "refused"],
      ["true", "refused"],
      ["", "refused"],
      ["  ", "refused"],
      ["1 000", "refused"],
      ["\ufeff1", "refused"],
      ["\x1c1", "refused"],
    ];
    for (const [text, expected] of cases) expect(read(text), JSON.stringify(text)).toBe(expected);
    for (const nan of ["NaN", "nan", "NAN", "-nan", " nan "]) expect(read(nan), nan).toBeNaN();
  });

  it("takes numbers as they are, and true and false as 1 and 0", () => {
    expect(read(16)).toBe(16);
    expect(read(1.5)).toBe(1.5);
    expect(read(Infinity)).toBe(Infinity);
    expect(read(true)).toBe(1);
    expect(read(false)).toBe(0);
    expect(read(null)).toBe("refused");
    expect(read([1])).toBe("refused");
    expect(read({})).toBe("refused");
  });

  it("rounds decimal text to the nearest double, as Python does", () => {
    expect(parsePythonFloat("9007199254740993")).toBe(9007199254740992);
    expect(parsePythonFloat("0.1")).toBe(0.1);
    expect(Object.is(parsePythonFloat("-0"), -0)).toBe(true);
    expect(parsePythonFloat("\u{1D7D9}\u{1D7D8}")).toBe(10);
  });
});

describe("metric, param and tag keys as MLflow checks them", () => {
  const key = keyField("Metric");
  const accepted = (k: string) => key.safeParse(k).success;

  it("accepts the letters and digits of every script, as Python's \\w does", () => {
    for (const k of [
      "précision",
      "损失/train",
      "ключ",
      "日本語",
      "x²",
      "①",
      "٣",
      "Ⅻ",
      "𝑥",
      "ǅ",
      "ʰ",
      "〇",
      "loss:val",
      "a b/c-d_e.f",
      "_",
      "-",
      " ",
      " a ",
      ".a",
      "a.",
      "a/..b",
    ]) {
      expect(accepted(k), JSON.stringify(k)).toBe(true);
    }
  });

  it("accepts one final newline, as Python's $ matches before it", () => {
    expect(accepted("loss\n")).toBe(true);
    expect(accepted("\n")).toBe(true);
    expect(accepted("a\nb")).toBe(false);
    expect(accepted("a\n\n")).toBe(false);
  });

  it("refuses other characters: combining marks, emoji, punctuation, control and invisible characters", () => {
    for (const k of ["e\u0301", "😀", "a$", "a@b", "a,b", "a\\b", "a~", "a\t", "a\u200b", "a\u00a0", "a\u0000"]) {
      expect(accepted(k), JSON.stringify(k)).toBe(false);
    }
  });

  it("refuses a key that is not its own normal path", () => {
    for (const k of ["", ".", "..", "...", "..a", "../a", "a/..", "a/../b", "/a", "a/", "a//b", "./a", "a/.", "//a"]) {
      expect(accepted(k), JSON.stringify(k)).toBe(false);
    }
  });

  it("counts the 250-character limit in code points, as Python's len() does", () => {
    expect(accepted("é".repeat(250))).toBe(true);
    expect(accepted("é".repeat(251))).toBe(false);
    expect(accepted("𝑥".repeat(250))).toBe(true);
    expect(accepted("𝑥".repeat(251))).toBe(false);
    const param = valueField("Param", 6000);
    expect(param.safeParse("𝑥".repeat(6000)).success).toBe(true);
    expect(param.safeParse("𝑥".repeat(6001)).success).toBe(false);
  });
});
