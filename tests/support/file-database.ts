import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { servePGlite } from "../../server/db/pglite-server";
import postgres from "postgres";
import { afterAll, inject } from "vitest";

// Each test file gets its own database, built from the migrated template, before any app module
// reads DATABASE_URL: the code under test connects exactly as it does in production.
const database = inject("database");
let release: () => Promise<void>;

// Artifact files too: each test file writes into a folder of its own.
const artifacts = mkdtempSync(path.join(os.tmpdir(), "cairn-test-artifacts-"));
process.env.CAIRN_ARTIFACTS_DIR ??= artifacts;

if (database.kind === "postgres") {
  const name = `cairn_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${database.template}`);
  const url = new URL(database.adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  release = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
} else {
  const db = await PGlite.create({ loadDataDir: new Blob([readFileSync(database.snapshot)]) });
  const server = await servePGlite(db, { host: "127.0.0.1", port: 0 });
  const port = server.port;
  process.env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  release = async () => {
    await server.stop();
    await db.close();
  };
}

// Start-up's wiring of the domain (tracking and the registry announce, promotions subscribes), as every door does.
const { wireDomain } = await import("../../server/services/wiring");
wireDomain();

afterAll(async () => {
  const { closeDb } = await import("../../server/db/client");
  await closeDb();
  await release();
  rmSync(artifacts, { recursive: true, force: true });
});
