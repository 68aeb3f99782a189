/**
 * Mentions in comment markdown. The editor inserts `@[Display Name](user:<uuid>)`: a markdown link
 * whose target names the person, so the text stays readable, survives renames (the id decides who
 * is meant; the label is only what the author saw) and renders as a chip. Mentions inside code
 * (fenced blocks and inline spans) are examples, not mentions: they notify no one.
 */

export type Mention = { userId: string; label: string; start: number; end: number };

/** At most this many people are notified by one comment. */
export const MAX_MENTIONS = 50;

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const MENTION = new RegExp(`@\\[([^\\[\\]\\n]{1,200})\\]\\(user:(${UUID})\\)`, "g");

// Code whose content must not be read as mentions: fenced blocks (``` or ~~~, closed by the same
// fence or the end of the text) and inline spans delimited by equal runs of backticks.
const FENCED = /^ {0,3}(`{3,}|~{3,})[^\n]*(?:\n[\s\S]*?)?(?:\n {0,3}\1[`~]*[ \t]*(?=\n|(?![\s\S]))|(?![\s\S]))/gm;
const INLINE = /(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g;

/** Blanks out code with spaces of the same length, so offsets in the result match the input. */
function withoutCode(markdown: string): string {
  const blank = (match: string) => match.replace(/[^\n]/g, " ");
  return markdown.replace(FENCED, blank).replace(INLINE, blank);
}

/** Every mention in the text, in order, with where it sits (offsets into `markdown`). */
export function extractMentions(markdown: string): Mention[] {
  const found: Mention[] = [];
  for (const match of withoutCode(markdown).matchAll(MENTION)) {
    const start = match.index;
    const end = start + match[0].length;
    // The label as written (blanking never touches mentions outside code).
    const label = markdown.slice(start + 2, start + 2 + match[1]!.length).trim();
    found.push({ userId: match[2]!.toLowerCase(), label, start, end });
  }
  return found;
}

/** The distinct people a text mentions, in order of first mention. */
export function parseMentions(markdown: string): string[] {
  return [...new Set(extractMentions(markdown).map((m) => m.userId))];
}

/** The text with each mention written as `@Label`, for notifications and e-mails. */
export function mentionsToText(markdown: string): string {
  let text = "";
  let at = 0;
  for (const mention of extractMentions(markdown)) {
    text += `${markdown.slice(at, mention.start)}@${mention.label}`;
    at = mention.end;
  }
  return text + markdown.slice(at);
}

/** The markup for mentioning a person; brackets and line breaks in the name cannot break it. */
export function mentionMarkup(person: { id: string; name: string }): string {
  const label =
    person.name
      .replace(/[[\]\n\r]+/g, " ")
      .trim()
      .slice(0, 200) || "someone";
  return `@[${label}](user:${person.id})`;
}
