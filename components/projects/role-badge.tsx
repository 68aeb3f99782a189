import type { Role } from "@/server/access/permissions";
import { Badge, type Tone } from "../ui/badge";

const tones: Record<Role, Tone> = { owner: "brand", maintainer: "blue", contributor: "green", viewer: "neutral" };

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={tones[role]}>{role}</Badge>;
}
