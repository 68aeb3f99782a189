import fc from "fast-check";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serializePlain, transformer } from "../../server/api/transformer";

// Values of every kind superjson knows, with keys that need escaping in paths.
const key = fc.oneof(fc.string(), fc.constantFrom("a.b", "a\\b", "\\.", ".", "", "0", "__proto__", "constructor", "toString"));
const leaf = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.double(),
  fc.integer(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0),
  fc.date({ noInvalidDate: false }),
  fc.constant(undefined),
  fc.bigInt(),
  fc.constantFrom(new Map([[1, 2]]), new Set(["x"]), /re/g, new URL("https://cairn.test/")),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 6 }),
    fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  ),
}));

/** A reply as the browser gets it: JSON text, parsed and read by superjson. */
const overTheWire = (payload: ReturnType<typeof superjson.serialize>) => superjson.deserialize(JSON.parse(JSON.stringify(payload)));

describe("the tRPC transformer", () => {
  it("reads back, through superjson's own reader, as what superjson writes reads back, for any value", () => {
    fc.assert(
      fc.property(value, (v) => {
        let expected: unknown;
        try {
          expected = overTheWire(superjson.serialize(v));
        } catch {
          // superjson refuses some keys (prototype pollution); so does the transformer.
          expect(() => transformer.serialize(v)).toThrow();
          return;
        }
        expect(overTheWire(transformer.serialize(v))).toStrictEqual(expected);
        expect(transformer.deserialize(JSON.parse(JSON.stringify(transformer.serialize(v))))).toStrictEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("takes on replies of plain data, non-finite numbers and dates, and leaves the rest to superjson", () => {
    const reply = { runs: [{ min: [1, -Infinity, NaN], at: new Date(0), "a.b": { "c\\d": -0 } }] };
    expect(serializePlain(reply)).toEqual({
      json: { runs: [{ min: [1, "-Infinity", "NaN"], at: "1970-01-01T00:00:00.000Z", "a.b": { "c\\d": "-0" } }] },
      meta: { values: { "runs.0.min.1": ["number"], "runs.0.min.2": ["number"], "runs.0.at": ["Date"], "runs.0.a\\.b.c\\\\d": ["number"] }, v: 1 },
    });
    expect(transformer.deserialize(JSON.parse(JSON.stringify(serializePlain(reply))))).toEqual(reply);
    const shared = { x: 1 };
    for (const other of [{ a: shared, b: shared }, { a: undefined }, { a: 1n }, { a: new Map() }, new Array<number>(2), { a: new Date(NaN) }, "text", null]) {
      expect(serializePlain(other)).toBeNull();
    }
  });

  it("is several times faster than superjson on a 100-run chart overlay", () => {
    const column = () => Array.from({ length: 800 }, (_, i) => (i % 97 === 0 ? NaN : i * 0.5));
    const overlay = {
      runs: Array.from({ length: 100 }, (_, r) => ({
        runId: `run${r}`,
        exact: false,
        points: { x0: column(), x1: column(), min: column(), max: column(), last: column(), lastStep: column(), lastTimestamp: column(), count: column() },
      })),
    };
    const time = (serialize: () => unknown) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        serialize();
        runs.push(performance.now() - t0);
      }
      return Math.min(...runs);
    };
    expect(overTheWire(transformer.serialize(overlay))).toStrictEqual(overTheWire(superjson.serialize(overlay)));
    const fast = time(() => transformer.serialize(overlay));
    const slow = time(() => superjson.serialize(overlay));
    console.log(`[transformer] 100-run overlay: ${fast.toFixed(1)} ms, superjson ${slow.toFixed(1)} ms`);
    expect(fast * 3).toBeLessThan(slow);
  });
});
