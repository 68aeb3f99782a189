import { Table, Td } from "../ui/table";

export function KeyValueTable({ items, empty }: { items: { key: string; value: string }[]; empty: string }) {
  if (!items.length) return <p className="px-5 py-4 text-sm text-stone-500">{empty}</p>;
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
