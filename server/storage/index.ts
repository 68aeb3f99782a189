import path from "node:path";
import { env, type Env } from "../env.js";
import type { ArtifactStore } from "./artifact-store";
import { LocalArtifactStore } from "./local-store";
import { S3ArtifactStore } from "./s3-store";

export type { ArtifactStore } from "./artifact-store";

// On globalThis so that Next's dev reloads keep one store (and one S3 connection pool).
const holder = globalThis as unknown as { cairnArtifactStore?: ArtifactStore };

/** The process-wide artifact store: an S3 bucket when CAIRN_S3_BUCKET is set, else a local folder. */
export function getArtifactStore(): ArtifactStore {
  holder.cairnArtifactStore ??= createArtifactStore(env());
  return holder.cairnArtifactStore;
}

function createArtifactStore(e: Env): ArtifactStore {
  if (!e.CAIRN_S3_BUCKET) {
    return new LocalArtifactStore(e.CAIRN_ARTIFACTS_DIR ?? path.join(e.CAIRN_DATA_DIR, "artifacts"));
  }
  return new S3ArtifactStore({
    bucket: e.CAIRN_S3_BUCKET,
    prefix: e.CAIRN_S3_PREFIX,
    endpoint: e.CAIRN_S3_ENDPOINT,
    region: e.CAIRN_S3_REGION,
    forcePathStyle: e.CAIRN_S3_FORCE_PATH_STYLE,
    credentials:
      e.CAIRN_S3_ACCESS_KEY_ID && e.CAIRN_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.CAIRN_S3_ACCESS_KEY_ID, secretAccessKey: e.CAIRN_S3_SECRET_ACCESS_KEY }
        : undefined,
  });
}
