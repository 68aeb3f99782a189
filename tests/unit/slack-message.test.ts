import { describe, expect, it } from "vitest";
import { slackMessage } from "../../server/services/webhooks/slack";

describe("slackMessage", () => {
  it("is one line: a mark for alerts, the project, and the title linked to Cairn, with Slack's control characters escaped", () => {
    expect(slackMessage("alert.opened", { project: "fraud", url: "https://cairn.example/p/fraud/alerts?status=open", title: "Drift on 'a<b' & more" })).toEqual(
      { text: ":rotating_light: [fraud] <https://cairn.example/p/fraud/alerts?status=open|Drift on 'a&lt;b' &amp; more>" },
    );
    expect(slackMessage("alert.resolved", { project: "fraud", url: "https://cairn.example/x|y", title: "Resolved: quiet" }).text).toBe(
      ":white_check_mark: [fraud] <https://cairn.example/x%7Cy|Resolved: quiet>",
    );
  });

  it("falls back to the message or the event name, and links only an absolute URL", () => {
    expect(slackMessage("ping", { project: "p", url: "/p/p/settings/webhooks", message: "A test delivery" })).toEqual({ text: "[p] A test delivery" });
    expect(slackMessage("promotion.applied", { project: "p" })).toEqual({ text: "[p] promotion.applied" });
  });
});
