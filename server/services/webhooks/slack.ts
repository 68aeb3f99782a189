/** Slack's three control characters in message text (https://api.slack.com/reference/surfaces/formatting#escaping). */
const escapeSlack = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const EVENT_MARKS: Record<string, string> = { "alert.opened": ":rotating_light:", "alert.resolved": ":white_check_mark:" };

/**
 * A delivery as a Slack incoming webhook takes it: one readable line, `{ text }`, naming the project
 * and what happened, the summary linked to the page in Cairn. Built from the stored payload at
 * sending time, so the delivery log keeps Cairn's event either way.
 */
export function slackMessage(event: string, payload: Record<string, unknown>): { text: string } {
  const project = typeof payload.project === "string" ? payload.project : "";
  const url = typeof payload.url === "string" ? payload.url : "";
  const summary = typeof payload.title === "string" ? payload.title : typeof payload.message === "string" ? payload.message : event;
  const mark = EVENT_MARKS[event];
  // A link only when Cairn knows its public address (CAIRN_PUBLIC_URL); a bare path leads nowhere in Slack.
  const linked = /^https?:\/\//.test(url) ? `<${url.replace(/[|<>]/g, (c) => encodeURIComponent(c))}|${escapeSlack(summary)}>` : escapeSlack(summary);
  return { text: [mark, project ? `[${escapeSlack(project)}]` : null, linked].filter(Boolean).join(" ") };
}
