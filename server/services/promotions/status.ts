import type { RequestStatus } from "../../db/schema";

/** The statuses in which a request still waits for a decision: a request for changes holds it open. */
export const OPEN_STATUSES = ["open", "changes_requested"] as const satisfies readonly RequestStatus[];

/** The statuses of a request that was decided: applied, rejected or cancelled. */
export const CLOSED_STATUSES = ["applied", "rejected", "cancelled"] as const satisfies readonly RequestStatus[];

/** Whether a request still waits for a decision (the one definition every reader and writer uses). */
export function isOpen(status: RequestStatus): status is (typeof OPEN_STATUSES)[number] {
  return (OPEN_STATUSES as readonly RequestStatus[]).includes(status);
}
