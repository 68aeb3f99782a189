import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { servePGlite } from "../../server/db/pglite-server";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../server/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    database: { kind: "postgres"; adminUrl: string; template: string } | { kind: "pglite"; snapshot: string };
  }
}

/**
 * Builds the schema once per run, from drizzle/ with the production migrator: a template database
 * on PostgreSQL (TEST_DATABASE_URL), or a migrated PGlite snapshot. Each test file then gets a copy.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const template = `cairn_template_${process.pid}`;
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists ${template}`);
    await sql.unsafe(`create database ${template}`);
    await sql.end();
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    await migrateDatabase(url.toString());
    project.provide("database", { kind: "postgres", adminUrl, template });
    return async () => {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), "cairn-test-"));
  const db = await PGlite.create();
  const server = await servePGlite(db, { host: "127.0.0.1", port: 0 });
  const port = server.port;
  await migrateDatabase(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
  await server.stop();
  const snapshot = path.join(dir, "migrated.tar.gz");
  writeFileSync(snapshot, Buffer.from(await (await db.dumpDataDir("gzip")).arrayBuffer()));
  await db.close();
  project.provide("database", { kind: "pglite", snapshot });
  return () => rmSync(dir, { recursive: true, force: true });
}
