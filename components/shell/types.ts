import type { Role } from "@/server/access/permissions";

/** A project as the shell lists it: in the switcher, with the person's role. */
export type ShellProject = { slug: string; name: string; role: Role };
