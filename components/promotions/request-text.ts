import { targetText } from "../registry/format";
import type { Judged } from "./gate-text";
import type { Blocker, PromotionRequestPage } from "./types";

type Request = PromotionRequestPage["request"];

/** How a request came in, as the header says it. */
export const VIA: Record<string, string> = { ui: "in Cairn", api: "through the API", mlflow: "through the MLflow API", cli: "from the CLI" };

/** Approver roles named in the plural, as a rule lists them. */
export const ROLE_NAMES: Record<string, string> = { owner: "owners", maintainer: "maintainers", contributor: "contributors", viewer: "viewers" };

/** The target with a tag's value: "alias @champion", "tag deploy=prod". */
export function targetLabel(request: Request): string {
  const target = request.target;
  return `${targetText(target)}${target.kind === "tag" && request.targetValue !== null ? `=${request.targetValue}` : ""}`;
}

/** When the request was judged: a closed request shows the holder it was judged against, not today's ("held", not "holds"). */
export function judgedOf(page: PromotionRequestPage): Judged {
  const { request, holder } = page;
  if (request.open) return { when: "now" };
  return { when: request.status === "applied" ? "applied" : "closed", target: targetText(request.target), holderVersion: holder?.version.version ?? null };
}

/** The moment a closed request's holder is named at. */
export const closedMoment = (request: Request) => (request.status === "applied" ? "before this promotion" : "when the request closed");

/** The blocker of one kind, if it holds the request back. */
export function blockerOf<K extends Blocker["kind"]>(page: PromotionRequestPage, kind: K): Extract<Blocker, { kind: K }> | undefined {
  return page.blockers.find((b): b is Extract<Blocker, { kind: K }> => b.kind === kind);
}
