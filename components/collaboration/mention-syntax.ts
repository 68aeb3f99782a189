/**
 * The editor's side of the mention syntax (`@[Display Name](user:<uuid>)`, parsed on the server by
 * server/services/collaboration/mentions.ts; a unit test keeps the two in step). People type and
 * read `@Display Name`; the markup is written only when the comment is sent. Pure functions.
 */

export type Person = { id: string; name: string; email?: string };

/** The markup inserted for a person; brackets and line breaks in the name cannot break it. */
export function mentionMarkup(person: { id: string; name: string }): string {
  return `@[${mentionLabel(person).slice(1)}](user:${person.id})`;
}

/**
 * The mention being typed at the caret: an `@` at the start of the text or after a space or an
 * opening bracket, followed by up to 40 characters of a name (letters, digits, `.`, `-`, `_`, and
 * single spaces). Null when the caret is not in one.
 */
export function activeMentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s([{])@([\p{L}\p{N}._-]+(?: [\p{L}\p{N}._-]+)?)?$/u.exec(before);
  if (!match) return null;
  const query = match[2] ?? "";
  if (query.length > 40) return null;
  return { start: before.length - query.length - 1, query };
}

/** How a mention reads while editing: `@` and the name markup would carry. */
function mentionLabel(person: { name: string }): string {
  return `@${
    person.name
      .replace(/[[\]\n\r]+/g, " ")
      .trim()
      .slice(0, 200) || "someone"
  }`;
}

/** Replaces the typed `@query` with `@Name` and a space; returns the new text and caret. */
export function insertMention(text: string, at: { start: number; end: number }, person: Person): { text: string; caret: number } {
  const label = `${mentionLabel(person)} `;
  const rest = text.slice(at.end).replace(/^ /, "");
  return { text: text.slice(0, at.start) + label + rest, caret: at.start + label.length };
}

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const MARKUP = new RegExp(`@\\[([^\\[\\]\\n]{1,200})\\]\\(user:(${UUID})\\)`, "g");

/** A stored comment made editable: each mention's markup as `@Name`, with the people it named. */
export function toEditable(markdown: string): { text: string; people: Person[] } {
  const people = new Map<string, Person>();
  const text = markdown.replace(MARKUP, (_match, label: string, id: string) => {
    people.set(id.toLowerCase(), { id: id.toLowerCase(), name: label.trim() });
    return `@${label.trim()}`;
  });
  return { text, people: [...people.values()] };
}

/**
 * What is sent: each `@Name` of a person chosen while writing becomes their markup again (longer
 * names first, so "@Ada Lovelace" wins over "@Ada"); an `@Name` edited into something else stays text.
 */
export function toMarkup(text: string, people: Person[]): string {
  const byLabel = new Map(people.map((p) => [mentionLabel(p), p]));
  const labels = [...byLabel.keys()].sort((a, b) => b.length - a.length);
  if (!labels.length) return text;
  const escaped = labels.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(${escaped.join("|")})(?![\\p{L}\\p{N}_])`, "gu");
  return text.replace(pattern, (label: string) => mentionMarkup(byLabel.get(label)!));
}

/** Members matching a typed query (name or e-mail, word starts first), at most `limit`. */
export function matchPeople<P extends Person>(people: P[], query: string, limit = 8): P[] {
  const q = query.trim().toLowerCase();
  if (!q) return people.slice(0, limit);
  const scored = people
    .map((p) => {
      const name = p.name.toLowerCase();
      const email = (p.email ?? "").toLowerCase();
      const words = name.split(/\s+/);
      const score = name.startsWith(q) ? 0 : words.some((w) => w.startsWith(q)) ? 1 : email.startsWith(q) ? 2 : name.includes(q) || email.includes(q) ? 3 : -1;
      return { p, score };
    })
    .filter((s) => s.score >= 0)
    .sort((a, b) => a.score - b.score || a.p.name.localeCompare(b.p.name));
  return scored.slice(0, limit).map((s) => s.p);
}
