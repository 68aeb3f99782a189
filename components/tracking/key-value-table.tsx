import { Table, Td } from "../ui/table";
import { LongKeyValueTable } from "./long-key-value-table";

/** Up to this many pairs render as a plain table; more scroll in a box of their own. */
const PLAIN_UP_TO = 50;

export function KeyValueTable({ items, empty, label = "Values" }: { items: { key: string; value: string }[]; empty: string; label?: string }) {
  if (!items.length) return <p className="px-5 py-4 text-sm text-stone-500">{empty}</p>;
  if (items.length > PLAIN_UP_TO) return <LongKeyValueTable items={items} label={label} />;
  return (
    <Table>
      <tbody>
        {items.map((item) => (
          <tr key={item.key}>
            <Td className="w-1/2 font-mono text-xs text-stone-600 dark:text-stone-400">{item.key}</Td>
            <Td className="font-mono text-xs break-all">{item.value}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
