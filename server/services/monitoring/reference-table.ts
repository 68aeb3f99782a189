import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import Papa from "papaparse";
import { z } from "zod";
import { DomainError, invalid } from "../../errors";
import type { Table } from "./reference-columns";

/** A reference is a sample: past these it is refused with a message to log a sample instead. */
const MAX_REFERENCE_ROWS = 100_000;
const MAX_REFERENCE_COLUMNS = 1_000;
export const MAX_REFERENCE_FILE_BYTES = 64 * 1024 * 1024;

const tooManyRows = (rows: number) =>
  invalid(
    `The reference table has ${rows.toLocaleString("en")} rows; at most ${MAX_REFERENCE_ROWS.toLocaleString("en")} are read, so log a sample of the data`,
  );

/** `{columns, data}` as `mlflow.log_table` writes it and as the API accepts it. */
export const tableSchema = z
  .object({
    columns: z
      .array(z.string().min(1, "column names must not be empty").max(500))
      .min(1, "the table has no columns")
      .max(MAX_REFERENCE_COLUMNS, `at most ${MAX_REFERENCE_COLUMNS} columns`)
      .refine((c) => new Set(c).size === c.length, "column names must be unique"),
    data: z.array(z.array(z.unknown())).max(MAX_REFERENCE_ROWS, `at most ${MAX_REFERENCE_ROWS} rows; send a sample of the data`),
  })
  .refine((t) => t.data.every((row) => row.length <= t.columns.length), "a row has more values than there are columns");

function jsonTable(text: string): Table {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`The reference file is not valid JSON: ${(error as Error).message}`);
  }
  const result = tableSchema.safeParse(parsed);
  if (!result.success) throw invalid(`The reference file is not a {columns, data} table as mlflow.log_table writes it: ${result.error.issues[0]!.message}`);
  return result.data;
}

/** A CSV with a header row; numbers and booleans are typed as pandas would read them. */
function csvTable(text: string): Table {
  const parsed = Papa.parse<unknown[]>(text, { dynamicTyping: true, skipEmptyLines: true });
  const [header, ...data] = parsed.data;
  if (!header?.length) throw invalid("The reference CSV has no header row");
  if (data.length > MAX_REFERENCE_ROWS) throw tooManyRows(data.length);
  const result = tableSchema.safeParse({ columns: header.map(String), data });
  if (!result.success) throw invalid(`The reference CSV cannot be read as a table: ${result.error.issues[0]!.message}`);
  return result.data;
}

/** Parquet's 64-bit integers arrive as bigint, its timestamps as dates: neither is JSON. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** A Parquet file (uncompressed or Snappy, pandas' and pyarrow's default), top-level columns only. */
async function parquetTable(bytes: Uint8Array): Promise<Table> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    const metadata = parquetMetadata(file);
    if (metadata.num_rows > BigInt(MAX_REFERENCE_ROWS)) throw tooManyRows(Number(metadata.num_rows));
    const columns = parquetSchema(metadata)
      .children.map((c) => c.element.name)
      .filter((name) => name !== "__index_level_0__");
    const rows = await parquetReadObjects({ file, metadata, columns });
    return { columns, data: rows.map((row) => columns.map((c) => plain(row[c]))) };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalid(`The reference file cannot be read as Parquet: ${(error as Error).message}`);
  }
}

/** Reads a logged table, CSV or Parquet file by its extension. */
export async function tableFromFile(path: string, bytes: Uint8Array): Promise<Table> {
  const extension = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === "json") return jsonTable(new TextDecoder().decode(bytes));
  if (extension === "csv") return csvTable(new TextDecoder().decode(bytes));
  if (extension === "parquet" || extension === "pq") return parquetTable(bytes);
  throw invalid(`'${path}' is not a .json table, a .csv or a .parquet file`);
}
