import { fromMarkdown } from "mdast-util-from-markdown";
import { toString } from "mdast-util-to-string";
import { mentionsToText } from "./mentions";

type Node = ReturnType<typeof fromMarkdown>["children"][number];

/** The text of each line-sized block (paragraph, heading, code, list item, table row), in order. */
function blockTexts(nodes: Node[]): string[] {
  return nodes.flatMap((node): string[] => {
    if ("children" in node && ["list", "listItem", "blockquote", "table"].includes(node.type)) return blockTexts(node.children as Node[]);
    const text = toString(node).trim();
    return text ? [text] : [];
  });
}

/**
 * A comment as plain text for notifications and e-mails: mentions as `@Name`, markdown syntax
 * gone (emphasis, links, code fences), one line per block, at most `max` characters.
 */
export function plainExcerpt(markdown: string, max = 1000): string {
  const text = blockTexts(fromMarkdown(mentionsToText(markdown)).children).join("\n");
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
