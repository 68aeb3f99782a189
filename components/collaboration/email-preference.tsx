"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Card, CardBody, CardHeader } from "../ui/card";

/** The per-person switch for e-mail copies of notifications (the inbox gets them regardless). */
export function EmailPreference({ initial }: { initial: { emailNotifications: boolean; emailAvailable: boolean } }) {
  const trpc = useTRPC();
  const [enabled, setEnabled] = useState(initial.emailNotifications);
  const save = useMutation(trpc.notification.setPreferences.mutationOptions());

  async function toggle(next: boolean) {
    setEnabled(next);
    try {
      await save.mutateAsync({ emailNotifications: next });
      toast.success(next ? "E-mail notifications on" : "E-mail notifications off");
    } catch (error) {
      setEnabled(!next);
      toast.error(errorDetails(error).message);
    }
  }

  return (
    <Card>
      <CardHeader
        title="Notifications"
        description="Mentions, review requests, decisions on your promotions, and comments on what you watch always reach your inbox."
      />
      <CardBody className="space-y-2">
        <label className="flex items-start gap-3 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 size-4 accent-brand-600"
            checked={enabled}
            disabled={save.isPending}
            onChange={(event) => void toggle(event.target.checked)}
            aria-describedby="email-notifications-hint"
          />
          <span>
            <span className="font-medium">E-mail notifications</span>
            <span id="email-notifications-hint" className="block text-stone-500 dark:text-stone-400">
              {initial.emailAvailable
                ? "Also send each notification to your e-mail address."
                : "Also send each notification by e-mail, once an administrator configures mail (CAIRN_SMTP_URL) on this server."}
            </span>
          </span>
        </label>
      </CardBody>
    </Card>
  );
}
