import type { Role } from "@/server/access/permissions";

/** The roles a person can be given, in the order the forms list them. */
export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: "owner", label: "Owner" },
  { value: "maintainer", label: "Maintainer" },
  { value: "contributor", label: "Contributor" },
  { value: "viewer", label: "Viewer" },
];
