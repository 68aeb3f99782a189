import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastTextEncoderStream } from "@/server/http/text-encoder-stream.js";

async function encodeChunks(stream: TransformStream<string, Uint8Array>, chunks: string[]): Promise<number[]> {
  const source = new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const reader = source.pipeThrough(stream).getReader();
  const bytes: number[] = [];
  for (let part = await reader.read(); !part.done; part = await reader.read()) bytes.push(...part.value);
  return bytes;
}

// Code units around the surrogate ranges, so pairs, lone halves and pairs split across chunks all occur.
const unit = fc.oneof(fc.integer({ min: 0xd7f0, max: 0xe00f }), fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xffff }));
const chunk = fc.array(unit, { maxLength: 12 }).map((units) => String.fromCharCode(...units));

describe("FastTextEncoderStream", () => {
  it("writes the bytes of Node's own TextEncoderStream, and of TextEncoder on the joined text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 8 }), async (chunks) => {
        const fast = await encodeChunks(new FastTextEncoderStream(), chunks);
        expect(fast).toEqual(await encodeChunks(new TextEncoderStream(), chunks));
        expect(fast).toEqual([...new TextEncoder().encode(chunks.join(""))]);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a surrogate pair split across chunks as one character, and ends a lone high surrogate as U+FFFD", async () => {
    expect(await encodeChunks(new FastTextEncoderStream(), ["a\uD83D", "\uDE00b"])).toEqual([0x61, 0xf0, 0x9f, 0x98, 0x80, 0x62]);
    expect(await encodeChunks(new FastTextEncoderStream(), ["a\uD83D"])).toEqual([0x61, 0xef, 0xbf, 0xbd]);
    expect(new FastTextEncoderStream().encoding).toBe("utf-8");
  });
});
