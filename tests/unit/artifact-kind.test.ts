import { describe, expect, it } from "vitest";
import {
  decodeHead,
  extensionOf,
  formatBytes,
  looksBinary,
  parseCsvHead,
  planPreview,
  PREVIEW_LIMITS,
  previewKindOf,
} from "../../components/tracking/artifact-kind";

describe("previewKindOf", () => {
  it("tells the kind from the file name", () => {
    const cases: [string, string][] = [
      ["plots/confusion_matrix.png", "image"],
      ["a/b/photo.JPG", "image"],
      ["chart.svg", "image"],
      ["anim.gif", "image"],
      ["pic.webp", "image"],
      ["README.md", "markdown"],
      ["metrics.json", "json"],
      ["predictions.csv", "csv"],
      ["table.TSV", "csv"],
      ["train.log", "text"],
      ["conda.yaml", "text"],
      ["train.py", "text"],
      ["model/MLmodel", "text"],
      ["LICENSE", "text"],
      [".gitignore", "text"],
      ["requirements.txt", "text"],
      ["model.pkl", "none"],
      ["weights.bin", "none"],
      ["archive.tar.gz", "none"],
      ["noextension", "none"],
    ];
    for (const [path, kind] of cases) expect(previewKindOf(path), path).toBe(kind);
  });

  it("reads extensions from the last dot of the file name only", () => {
    expect(extensionOf("dir.v2/file")).toBe("");
    expect(extensionOf("a/b.tar.gz")).toBe("gz");
    expect(extensionOf(".env")).toBe("env");
  });
});

describe("planPreview", () => {
  it("reads a bounded head of text, never the whole of a huge file", () => {
    expect(planPreview("train.log", 2 * 1024 ** 3)).toEqual({ kind: "text", limit: PREVIEW_LIMITS.text });
    expect(planPreview("train.log", 10)).toEqual({ kind: "text", limit: PREVIEW_LIMITS.text });
    expect(planPreview("big.csv", 2 * 1024 ** 3)).toEqual({ kind: "csv", limit: PREVIEW_LIMITS.csv });
  });

  it("formats JSON and renders markdown only when whole, else shows their head as text", () => {
    expect(planPreview("metrics.json", 1000)).toEqual({ kind: "json", limit: PREVIEW_LIMITS.json });
    expect(planPreview("dump.json", PREVIEW_LIMITS.json + 1)).toMatchObject({
      kind: "text",
      limit: PREVIEW_LIMITS.text,
      note: expect.stringContaining("format"),
    });
    expect(planPreview("README.md", 500)).toEqual({ kind: "markdown", limit: PREVIEW_LIMITS.markdown });
    expect(planPreview("book.md", PREVIEW_LIMITS.markdown + 1)).toMatchObject({ kind: "text" });
  });

  it("shows images up to a size, and treats an unknown size as large", () => {
    expect(planPreview("a.png", 1000)).toEqual({ kind: "image" });
    expect(planPreview("a.png", PREVIEW_LIMITS.image + 1)).toEqual({ kind: "none", reason: "size" });
    expect(planPreview("a.png", undefined)).toEqual({ kind: "none", reason: "size" });
    expect(planPreview("a.json", undefined)).toMatchObject({ kind: "text" });
  });

  it("has nothing to show for empty files and unknown types", () => {
    expect(planPreview("a.txt", 0)).toEqual({ kind: "none", reason: "empty" });
    expect(planPreview("model.pkl", 10)).toEqual({ kind: "none", reason: "type" });
  });
});

describe("decodeHead and looksBinary", () => {
  it("leaves out a character cut by a truncated read", () => {
    const bytes = new TextEncoder().encode("café");
    const cut = bytes.subarray(0, bytes.length - 1);
    expect(decodeHead(cut, true)).toBe("caf");
    expect(decodeHead(bytes, false)).toBe("café");
  });

  it("takes a NUL byte near the start as binary", () => {
    expect(looksBinary(new Uint8Array([104, 105, 0, 1]))).toBe(true);
    expect(looksBinary(new TextEncoder().encode("plain text\n"))).toBe(false);
  });
});

describe("parseCsvHead", () => {
  it("uses the first row as the header", () => {
    expect(parseCsvHead('id,label,score\n0,1,0.5\n1,0,"a, b"\n', { tsv: false, truncated: false })).toEqual({
      header: ["id", "label", "score"],
      rows: [
        ["0", "1", "0.5"],
        ["1", "0", "a, b"],
      ],
      moreRows: false,
      errors: 0,
    });
  });

  it("drops the cut last line of a truncated head, and says there is more", () => {
    const csv = parseCsvHead("a,b\n1,2\n3,4\n5,", { tsv: false, truncated: true });
    expect(csv.rows).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(csv.moreRows).toBe(true);
  });

  it("shows at most maxRows rows", () => {
    const text = ["n", ...Array.from({ length: 20 }, (_, i) => String(i))].join("\n");
    const csv = parseCsvHead(text, { tsv: false, truncated: false, maxRows: 5 });
    expect(csv.rows).toHaveLength(5);
    expect(csv.moreRows).toBe(true);
    expect(parseCsvHead(text, { tsv: false, truncated: false, maxRows: 20 }).moreRows).toBe(false);
  });

  it("splits TSV on tabs", () => {
    expect(parseCsvHead("a\tb,c\n1\t2,3", { tsv: true, truncated: false }).rows).toEqual([["1", "2,3"]]);
  });
});

describe("formatBytes", () => {
  it("speaks in binary units", () => {
    expect(formatBytes(undefined)).toBe("");
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(4300)).toBe("4.2 KB");
    expect(formatBytes(300 * 1024)).toBe("300 KB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2.0 GB");
  });
});
