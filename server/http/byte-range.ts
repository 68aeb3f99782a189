import { Readable } from "node:stream";

/** An inclusive span of bytes of a file. */
export type ByteRange = { start: number; end: number };

const SINGLE_RANGE = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * The part of a file of `size` bytes that a `Range` header asks for (RFC 9110 §14.2): one range to
 * answer with 206, "unsatisfiable" for 416, or null to send the whole file. Only one range is
 * honoured: several ranges, another unit or a malformed value are ignored, as the RFC allows.
 */
export function parseByteRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const match = SINGLE_RANGE.exec(header);
  if (!match) return null;
  const [, first = "", last = ""] = match;
  if (!first && !last) return null;
  if (!first) {
    // "bytes=-N": the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last ? Number(last) : Number.POSITIVE_INFINITY;
  if (end < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(end, size - 1) };
}

/**
 * The bytes `range` of a stream that starts at the file's first byte. Reading stops, and the source
 * is closed, as soon as the range is complete; bytes before it are read and dropped.
 */
export function sliceReadable(source: Readable, range: ByteRange): Readable {
  async function* slice() {
    let offset = 0;
    try {
      for await (const chunk of source) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
        const from = Math.max(0, range.start - offset);
        const to = Math.min(bytes.length, range.end + 1 - offset);
        offset += bytes.length;
        if (to > from) yield bytes.subarray(from, to);
        if (offset > range.end) break;
      }
    } finally {
      source.destroy();
    }
  }
  return Readable.from(slice(), { objectMode: false });
}
