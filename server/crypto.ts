import { createHash, randomBytes } from "node:crypto";

/** A URL-safe random secret with `bytes` of entropy. */
export function randomSecret(bytes = 30): string {
  return randomBytes(bytes).toString("base64url");
}

/** Secrets with this much entropy need no slow hash: SHA-256 lets us look them up by hash. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
