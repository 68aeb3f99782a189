"use client";

import { useMutation } from "@tanstack/react-query";
import { UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import type { Role } from "@/server/access/permissions";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Select } from "../ui/input";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { InviteDialog } from "./invite-dialog";
import { RoleBadge } from "./role-badge";
import { ROLE_OPTIONS } from "./role-options";

type Member = { userId: string; name: string; email: string; role: Role; since: Date };

export function MembersTable(props: { slug: string; members: Member[]; currentUserId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [inviting, setInviting] = useState(false);
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions());
  const remove = useMutation(trpc.member.remove.mutationOptions());
  const leave = useMutation(trpc.member.leave.mutationOptions());

  async function run(action: () => Promise<unknown>, success: string, after?: () => void) {
    try {
      await action();
      toast.success(success);
      (after ?? router.refresh)();
    } catch (error) {
      toast.error(errorDetails(error).message);
    }
  }

  return (
    <Card>
      <CardHeader
        title="Members"
        description="Owners invite people and change roles. The permission table is in the README."
        actions={
          props.canManage && (
            <Button onClick={() => setInviting(true)}>
              <UserPlus className="size-4" aria-hidden /> Invite
            </Button>
          )
        }
      />
      <Table>
        <thead>
          <tr>
            <Th>Person</Th>
            <Th>Role</Th>
            <Th className="hidden sm:table-cell">Member since</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => {
            const self = m.userId === props.currentUserId;
            return (
              <tr key={m.userId}>
                <Td>
                  <div className="font-medium">
                    {m.name} {self && <span className="text-xs font-normal text-stone-400">(you)</span>}
                  </div>
                  <div className="text-xs text-stone-500">{m.email}</div>
                </Td>
                <Td>
                  {props.canManage ? (
                    <Select
                      aria-label={`Role of ${m.name}`}
                      className="w-40"
                      value={m.role}
                      onChange={(e) =>
                        run(
                          () => changeRole.mutateAsync({ projectSlug: props.slug, userId: m.userId, role: e.target.value as Role }),
                          `${m.name} is now ${e.target.value}`,
                        )
                      }
                    >
                      {ROLE_OPTIONS.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </Select>
                  ) : (
                    <RoleBadge role={m.role} />
                  )}
                </Td>
                <Td className="hidden text-stone-500 sm:table-cell">
                  <Time value={m.since} />
                </Td>
                <Td className="text-right">
                  {self ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() =>
                        run(
                          () => leave.mutateAsync({ projectSlug: props.slug }),
                          "You left the project",
                          () => {
                            router.push("/projects");
                            router.refresh();
                          },
                        )
                      }
                    >
                      Leave
                    </Button>
                  ) : (
                    props.canManage && (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-red-600"
                        onClick={() => run(() => remove.mutateAsync({ projectSlug: props.slug, userId: m.userId }), `${m.name} removed`)}
                      >
                        Remove
                      </Button>
                    )
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {props.canManage && <InviteDialog slug={props.slug} open={inviting} onOpenChange={setInviting} />}
    </Card>
  );
}
