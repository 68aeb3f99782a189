import { crc32, deflateSync } from "node:zlib";

/** Encodes RGB pixels (row-major, 3 bytes each) as a PNG, for generated demo images. */
function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // no filter
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A heat-map image of a square matrix (e.g. a confusion matrix), cells scaled to `cell` pixels. */
export function heatmapPng(matrix: number[][], cell = 48): Buffer {
  const n = matrix.length;
  const peak = Math.max(...matrix.flat(), 1);
  const size = n * cell;
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = matrix[Math.floor(y / cell)]![Math.floor(x / cell)]! / peak;
      const edge = x % cell === 0 || y % cell === 0;
      const i = (y * size + x) * 3;
      rgb[i] = edge ? 255 : Math.round(245 - 200 * t);
      rgb[i + 1] = edge ? 255 : Math.round(250 - 120 * t);
      rgb[i + 2] = edge ? 255 : Math.round(250 - 90 * t);
    }
  }
  return encodePng(size, size, rgb);
}
