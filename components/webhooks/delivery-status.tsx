import { Badge } from "../ui/badge";

/** A delivery's state as people read it: queued, retrying (after a failed attempt), delivered, failed. */
export function DeliveryStatus({ status, attempts }: { status: "pending" | "delivered" | "failed"; attempts?: number }) {
  if (status === "delivered") return <Badge tone="green">delivered</Badge>;
  if (status === "failed") return <Badge tone="red">failed</Badge>;
  return attempts ? <Badge tone="amber">retrying</Badge> : <Badge tone="blue">queued</Badge>;
}
