import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CommentMarkdown } from "../../components/collaboration/markdown";

const ADA = "0b9a6c1e-8c1f-4f57-9d0a-4b1d2f3e4a5b";
const render = (source: string, people: Record<string, string> = {}) => renderToStaticMarkup(createElement(CommentMarkdown, { source, people }));

describe("comment markdown", () => {
  it("renders GitHub-flavoured markdown: emphasis, code, tables, task lists", () => {
    const html = render("**bold** and `code`\n\n```py\nprint(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<code>code</code>");
    expect(html).toMatch(/<pre><code class="language-py">print\(1\)\n<\/code><\/pre>/);
    expect(html).toContain("<table>");
    expect(html).toContain("<td>2</td>");
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*disabled/);
  });

  it("never renders raw HTML or script URLs", () => {
    const html = render(
      '<script>alert(1)</script><img src=x onerror="alert(2)"> <b onclick="x()">b</b>\n\n[click](javascript:alert(3)) [data](data:text/html,hi)',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|<b |javascript:|data:text/);
    expect(html).toContain(">click<");
  });

  it("opens external links in a new tab without access to this page; local links stay", () => {
    const html = render("[docs](https://mlflow.org) and [run](/p/demo/runs/abc)");
    expect(html).toContain('<a href="https://mlflow.org" target="_blank" rel="noopener noreferrer nofollow ugc">docs</a>');
    expect(html).toContain('<a href="/p/demo/runs/abc">run</a>');
  });

  it("loads only same-site images; others become links", () => {
    const html = render("![plot](/p/demo/runs/abc/artifacts/plot.png) ![pixel](https://tracker.example/p.gif)");
    expect(html).toContain('<img src="/p/demo/runs/abc/artifacts/plot.png" alt="plot"');
    expect(html).not.toContain('src="https://tracker.example');
    expect(html).toContain('href="https://tracker.example/p.gif"');
  });

  it("shows mentions as chips with the member's current name", () => {
    const html = render(`Thanks @[Old Name](user:${ADA})!`, { [ADA]: "Ada Lovelace" });
    expect(html).toMatch(/Thanks <span[^>]*title="Ada Lovelace"[^>]*>@Ada Lovelace<\/span>!/);
    expect(html).not.toContain("user:");
  });

  it("shows a mention of someone who is not a member as the written name, and other user: links as text", () => {
    const html = render(`@[Stranger](user:${ADA}) and [fake](user:${ADA})`);
    expect(html).toMatch(/<span[^>]*title="Not a member of this project"[^>]*>@Stranger<\/span> and fake/);
    expect(html).not.toContain("<a");
  });

  it("leaves mentions in code as code", () => {
    const html = render(`\`@[Ada](user:${ADA})\``, { [ADA]: "Ada Lovelace" });
    expect(html).toContain(`<code>@[Ada](user:${ADA})</code>`);
  });
});
