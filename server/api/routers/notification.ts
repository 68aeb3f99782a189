import {
  getPreferences,
  inboxInput,
  listInbox,
  markAllRead,
  markRead,
  markReadInput,
  preferencesInput,
  setPreferences,
  unreadCount,
} from "../../services/collaboration/notifications";
import { router, sessionProcedure, userProcedure } from "../trpc";

/** The signed-in person's own inbox; nobody reads or changes another person's rows. */
export const notificationRouter = router({
  list: userProcedure.input(inboxInput).query(({ ctx, input }) => listInbox({ ctx, input })),
  unreadCount: userProcedure.query(({ ctx }) => unreadCount({ ctx })),
  markRead: sessionProcedure.input(markReadInput).mutation(({ ctx, input }) => markRead({ ctx, input })),
  markAllRead: sessionProcedure.mutation(({ ctx }) => markAllRead({ ctx })),
  preferences: userProcedure.query(({ ctx }) => getPreferences({ ctx })),
  setPreferences: sessionProcedure.input(preferencesInput).mutation(({ ctx, input }) => setPreferences({ ctx, input })),
});
