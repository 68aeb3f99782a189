"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { Role } from "@/server/access/permissions";
import { errorDetails, useTRPC } from "../trpc";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { RoleBadge } from "./role-badge";

type Invitation = { id: string; email: string; role: Role; createdAt: Date; expiresAt: Date; invitedBy: string | null };

export function InvitationsList({ slug, invitations }: { slug: string; invitations: Invitation[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions());
  if (invitations.length === 0) return null;
  return (
    <Card>
      <CardHeader title="Pending invitations" />
      <Table>
        <thead>
          <tr>
            <Th>E-mail</Th>
            <Th>Role</Th>
            <Th className="hidden sm:table-cell">Invited</Th>
            <Th>Expires</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((i) => {
            const expired = new Date(i.expiresAt).getTime() <= Date.now();
            return (
              <tr key={i.id}>
                <Td className="font-medium">{i.email}</Td>
                <Td>
                  <RoleBadge role={i.role} />
                </Td>
                <Td className="hidden text-stone-500 sm:table-cell">
                  <Time value={i.createdAt} /> {i.invitedBy && <>by {i.invitedBy}</>}
                </Td>
                <Td>{expired ? <Badge tone="amber">expired</Badge> : <Time value={i.expiresAt} />}</Td>
                <Td className="text-right">
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={async () => {
                      try {
                        await revoke.mutateAsync({ projectSlug: slug, invitationId: i.id });
                        toast.success("Invitation withdrawn");
                        router.refresh();
                      } catch (error) {
                        toast.error(errorDetails(error).message);
                      }
                    }}
                  >
                    Withdraw
                  </Button>
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </Card>
  );
}
