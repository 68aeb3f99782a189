/**
 * The editor's side of the mention syntax (`@[Display Name](user:<uuid>)`, parsed on the server by
 * server/services/collaboration/mentions.ts; a unit test keeps the two in step). Pure functions.
 */

export type Person = { id: string; name: string; email?: string };

/** The markup inserted for a person; brackets and line breaks in the name cannot break it. */
export function mentionMarkup(person: { id: string; name: string }): string {
  const label = person.name.replace(/[[\]\n\r]+/g, " ").trim().slice(0, 200) || "someone";
  return `@[${label}](user:${person.id})`;
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

/** Replaces the typed `@query` with the person's markup and a space; returns the new text and caret. */
export function insertMention(text: string, at: { start: number; end: number }, person: Person): { text: string; caret: number } {
  const markup = `${mentionMarkup(person)} `;
  const rest = text.slice(at.end).replace(/^ /, "");
  return { text: text.slice(0, at.start) + markup + rest, caret: at.start + markup.length };
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
