import { Database } from "lucide-react";
import { DatasetContext, Digest, type Dataset } from "../registry/evidence";
import { Badge } from "../ui/badge";
import { Table, Td, Th } from "../ui/table";

type Row = { name: string; context: string | null; candidate: Dataset | null; holder: Dataset | null };

/** The candidate's datasets next to the holder's, matched by name and context; changed digests stand out. */
export function DatasetsComparison({ candidate, holder }: { candidate: Dataset[]; holder: Dataset[] | null }) {
  const key = (d: Dataset) => `${d.name}\u0000${d.context ?? ""}`;
  const rows = new Map<string, Row>();
  for (const d of candidate) rows.set(key(d), { name: d.name, context: d.context, candidate: d, holder: null });
  for (const d of holder ?? []) {
    const row = rows.get(key(d));
    if (row) row.holder = d;
    else rows.set(key(d), { name: d.name, context: d.context, candidate: null, holder: d });
  }
  if (!rows.size) {
    return (
      <p className="flex items-center gap-2 px-5 py-4 text-sm text-stone-500">
        <Database className="size-4" aria-hidden /> Neither source run logged datasets.
      </p>
    );
  }
  return (
    <Table>
      <thead>
        <tr>
          <Th>Dataset</Th>
          <Th>Context</Th>
          <Th>Candidate</Th>
          {holder && <Th>Holder</Th>}
          {holder && (
            <Th>
              <span className="sr-only">Change</span>
            </Th>
          )}
        </tr>
      </thead>
      <tbody>
        {[...rows.values()].map((r) => (
          <tr key={`${r.name}:${r.context}`}>
            <Td className="font-medium">{r.name}</Td>
            <Td>
              <DatasetContext context={r.context} />
            </Td>
            <Td>{r.candidate ? <Digest value={r.candidate.digest} /> : <span className="text-xs text-stone-400">not used</span>}</Td>
            {holder && <Td>{r.holder ? <Digest value={r.holder.digest} /> : <span className="text-xs text-stone-400">not used</span>}</Td>}
            {holder && (
              <Td className="text-right">
                {r.candidate && r.holder ? (
                  r.candidate.digest === r.holder.digest ? (
                    <Badge>same data</Badge>
                  ) : (
                    <Badge tone="amber">new digest</Badge>
                  )
                ) : r.candidate ? (
                  <Badge tone="blue">added</Badge>
                ) : (
                  <Badge tone="neutral">dropped</Badge>
                )}
              </Td>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
