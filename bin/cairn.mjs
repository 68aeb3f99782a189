#!/usr/bin/env node
// The operator CLI. Runs the TypeScript sources through tsx, from the installation folder, so that
// relative settings such as CAIRN_DATA_DIR mean the same as for the server.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const invokedFrom = process.cwd();
process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
register();
const { main } = await import("../server/cli/main.ts");
process.exitCode = await main(process.argv, undefined, undefined, invokedFrom);
