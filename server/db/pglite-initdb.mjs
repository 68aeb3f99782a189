// Creates a new PGlite data folder, then exits (`node pglite-initdb.mjs <folder>`). Run in a process
// of its own because initdb grows PGlite's WebAssembly heap to several hundred MB, and a heap never
// shrinks: the server that opens the folder afterwards starts at a fraction of that.
import { PGlite } from "@electric-sql/pglite";

const db = await PGlite.create(process.argv[2]);
await db.close();
