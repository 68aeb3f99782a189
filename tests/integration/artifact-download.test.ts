import { beforeAll, describe, expect, it } from "vitest";
import { GET } from "../../app/(app)/p/[slug]/runs/[runId]/artifacts/[...path]/route";
import { putArtifact } from "../../server/services/tracking/artifacts";
import { createRun } from "../../server/services/tracking/runs";
import { makeUser, projectContext, tokenActorOf } from "../support/factories";

/** The run page's artifact route (previews and downloads), called as Next.js calls it, with a Bearer token. */

let slug: string;
let runId: string;
let secret: string;
const SIZE = 300_000;
const content = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 31 + 7) % 251));

function get(path: string, headers: Record<string, string> = {}, options: { token?: string | null; query?: string } = {}) {
  const token = options.token === undefined ? secret : options.token;
  const request = new Request(`http://cairn.test/p/${slug}/runs/${runId}/artifacts/${path}${options.query ?? ""}`, {
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...headers },
  });
  return GET(request, { params: Promise.resolve({ slug, runId, path: path.split("/") }) });
}

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

beforeAll(async () => {
  const { ctx, owner } = await projectContext();
  slug = ctx.project.slug;
  secret = (await tokenActorOf(owner, { readOnly: true })).secret;
  const run = await createRun({ ctx, input: { runName: "with files" } });
  runId = run.info.runId;
  const root = run.info.artifactUri.replace(/^mlflow-artifacts:\//, "");
  await putArtifact(ctx, `${root}/logs/train.log`, new Blob([content]).stream());
  await putArtifact(ctx, `${root}/empty.txt`, new Blob([]).stream());
});

describe("artifact route", () => {
  it("streams the whole file inline, sandboxed, and says it accepts ranges", async () => {
    const response = await get("logs/train.log");
    expect(response.status).toBe(200);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-length")).toBe(String(SIZE));
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("content-security-policy")).toContain("sandbox");
    expect(response.headers.get("content-disposition")).toMatch(/^inline;/);
    expect((await bytesOf(response)).equals(content)).toBe(true);
  });

  it("answers a range with 206 and only those bytes", async () => {
    const response = await get("logs/train.log", { range: "bytes=0-1023" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 0-1023/${SIZE}`);
    expect(response.headers.get("content-length")).toBe("1024");
    expect((await bytesOf(response)).equals(content.subarray(0, 1024))).toBe(true);
  });

  it("serves ranges in the middle, open-ended, as a suffix, and clamps an end beyond the file", async () => {
    const cases: [string, number, number][] = [
      ["bytes=70000-70009", 70_000, 70_009],
      [`bytes=${SIZE - 5}-`, SIZE - 5, SIZE - 1],
      ["bytes=-100", SIZE - 100, SIZE - 1],
      ["bytes=299990-999999999", 299_990, SIZE - 1],
      [`bytes=-${SIZE * 2}`, 0, SIZE - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await get("logs/train.log", { range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get("content-range"), range).toBe(`bytes ${start}-${end}/${SIZE}`);
      expect((await bytesOf(response)).equals(content.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it("answers 416 for a range past the end, with the size", async () => {
    const response = await get("logs/train.log", { range: `bytes=${SIZE}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${SIZE}`);
    const empty = await get("empty.txt", { range: "bytes=0-99" });
    expect(empty.status).toBe(416);
    expect(empty.headers.get("content-range")).toBe("bytes */0");
  });

  it("ignores several ranges, other units and malformed ones, sending the whole file", async () => {
    for (const range of ["bytes=0-1,5-9", "items=0-5", "bytes=abc", "bytes=20-10", "bytes=-"]) {
      const response = await get("logs/train.log", { range });
      expect(response.status, range).toBe(200);
      expect((await bytesOf(response)).length, range).toBe(SIZE);
    }
  });

  it("keeps ranges on downloads, as attachments", async () => {
    const response = await get("logs/train.log", { range: "bytes=10-19" }, { query: "?download=1" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect((await bytesOf(response)).equals(content.subarray(10, 20))).toBe(true);
  });

  it("refuses callers without access before looking at the range", async () => {
    expect((await get("logs/train.log", { range: "bytes=0-9" }, { token: null })).status).toBe(401);
    const stranger = await makeUser();
    const theirs = (await tokenActorOf(stranger)).secret;
    expect((await get("logs/train.log", { range: "bytes=0-9" }, { token: theirs })).status).toBe(404);
    expect((await get("logs/missing.log", { range: "bytes=0-9" })).status).toBe(404);
  });
});
