import type { Signature, SignatureField } from "@/server/services/registry/mlmodel";
import { Table, Td, Th } from "../ui/table";

function FieldsTable({ caption, fields }: { caption: string; fields: SignatureField[] }) {
  return (
    <Table>
      <caption className="px-4 pt-3 pb-1 text-left text-sm font-medium">{caption}</caption>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Type</Th>
          <Th>Required</Th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f, i) => (
          <tr key={`${f.name ?? ""}:${i}`}>
            <Td className="font-mono text-xs">{f.name ?? <span className="text-stone-400">(unnamed)</span>}</Td>
            <Td className="font-mono text-xs">{f.type}</Td>
            <Td>{f.required ? "yes" : "no"}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The inputs, outputs and inference parameters a model's MLmodel file declares. */
export function ModelSignature({ signature }: { signature: Signature | null }) {
  if (!signature) return <p className="px-5 py-4 text-sm text-stone-500">The model was logged without a signature.</p>;
  return (
    <div className="space-y-2 pb-2">
      {signature.inputs.length > 0 && <FieldsTable caption="Inputs" fields={signature.inputs} />}
      {signature.outputs.length > 0 && <FieldsTable caption="Outputs" fields={signature.outputs} />}
      {signature.params.length > 0 && (
        <Table>
          <caption className="px-4 pt-3 pb-1 text-left text-sm font-medium">Parameters</caption>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Type</Th>
              <Th>Default</Th>
            </tr>
          </thead>
          <tbody>
            {signature.params.map((p) => (
              <tr key={p.name}>
                <Td className="font-mono text-xs">{p.name}</Td>
                <Td className="font-mono text-xs">{p.type}</Td>
                <Td className="font-mono text-xs">{p.default ?? "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
