import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseByteRange, sliceReadable } from "../../server/http/byte-range";

describe("parseByteRange", () => {
  it("reads one range: closed, open-ended and suffix", () => {
    expect(parseByteRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange("bytes=500-", 1000)).toEqual({ start: 500, end: 999 });
    expect(parseByteRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange(" Bytes = 1 - 2 ", 1000)).toEqual({ start: 1, end: 2 });
  });

  it("clamps an end or a suffix beyond the file", () => {
    expect(parseByteRange("bytes=900-5000", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseByteRange("bytes=0-99999999999999999999", 10)).toEqual({ start: 0, end: 9 });
  });

  it("finds ranges that cannot be satisfied", () => {
    expect(parseByteRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=0-10", 0)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-0", 1000)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-10", 0)).toBe("unsatisfiable");
  });

  it("ignores what it does not honour: no header, several ranges, other units, malformed or backwards ranges", () => {
    for (const header of [null, "", "bytes=0-1,4-5", "items=0-1", "bytes=a-b", "bytes=-", "bytes=5-1", "bytes 0-1"]) {
      expect(parseByteRange(header, 1000), String(header)).toBeNull();
    }
  });
});

describe("sliceReadable", () => {
  /** 100 chunks of 1,000 bytes (byte i of the file is i % 256), counting how many were read. */
  function source() {
    const state = { pulled: 0, closed: false };
    async function* chunks() {
      try {
        for (let c = 0; c < 100; c++) {
          state.pulled++;
          yield Buffer.from(Array.from({ length: 1000 }, (_, i) => (c * 1000 + i) % 256));
        }
      } finally {
        state.closed = true;
      }
    }
    return { stream: Readable.from(chunks(), { objectMode: false }), state };
  }

  const read = async (stream: Readable) => {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  };
  const expected = (start: number, end: number) => Buffer.from(Array.from({ length: end - start + 1 }, (_, i) => (start + i) % 256));

  it("returns exactly the bytes of the range, across chunk boundaries", async () => {
    for (const [start, end] of [
      [0, 0],
      [0, 999],
      [999, 1000],
      [1500, 4321],
      [99_000, 99_999],
    ] as const) {
      expect((await read(sliceReadable(source().stream, { start, end }))).equals(expected(start, end)), `${start}-${end}`).toBe(true);
    }
  });

  it("stops reading and closes the source once the range is complete", async () => {
    const { stream, state } = source();
    await read(sliceReadable(stream, { start: 0, end: 1499 }));
    expect(state.pulled).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.destroyed).toBe(true);
  });
});
