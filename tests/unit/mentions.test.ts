import { describe, expect, it } from "vitest";
import {
  activeMentionQuery,
  insertMention,
  matchPeople,
  mentionMarkup as editorMarkup,
  toEditable,
  toMarkup,
} from "../../components/collaboration/mention-syntax";
import { plainExcerpt } from "../../server/services/collaboration/excerpt";
import { extractMentions, mentionMarkup, mentionsToText, parseMentions } from "../../server/services/collaboration/mentions";

const ADA = "0b9a6c1e-8c1f-4f57-9d0a-4b1d2f3e4a5b";
const ALAN = "7f3e2d1c-0b9a-4877-a655-443322110099";

describe("mention parsing", () => {
  it("reads the people a comment mentions, once each, in order", () => {
    const text = `Thanks @[Ada Lovelace](user:${ADA}) and @[Alan](user:${ALAN})! cc @[Ada](user:${ADA})`;
    expect(parseMentions(text)).toEqual([ADA, ALAN]);
    expect(extractMentions(text).map((m) => [m.label, m.userId])).toEqual([
      ["Ada Lovelace", ADA],
      ["Alan", ALAN],
      ["Ada", ADA],
    ]);
  });

  it("reports offsets that cover the markup exactly", () => {
    const text = `hi @[Ada](user:${ADA}).`;
    const [m] = extractMentions(text);
    expect(text.slice(m!.start, m!.end)).toBe(`@[Ada](user:${ADA})`);
  });

  it("normalises ids to lower case", () => {
    expect(parseMentions(`@[Ada](user:${ADA.toUpperCase()})`)).toEqual([ADA]);
  });

  it("ignores look-alikes: plain @names, e-mail addresses, other link targets, malformed ids", () => {
    const text = [
      "@ada please look",
      "mail ada@example.com",
      `[Ada](user:${ADA})`.replace("(user:", "(https://x/"),
      `@[Ada](user:${ADA.slice(0, 30)})`,
      `@[](user:${ADA})`,
      `@[Ada](users:${ADA})`,
      `@[Ada\nLovelace](user:${ADA})`,
    ].join("\n");
    expect(parseMentions(text)).toEqual([]);
  });

  it("does not read mentions inside code", () => {
    const text = [
      "Use the syntax `@[Name](user:" + ADA + ")` to mention.",
      "```",
      `@[Ada](user:${ADA})`,
      "```",
      "~~~md",
      `@[Alan](user:${ALAN})`,
      "~~~",
      `But really: @[Alan](user:${ALAN})`,
    ].join("\n");
    expect(parseMentions(text)).toEqual([ALAN]);
    expect(extractMentions(text)).toHaveLength(1);
  });

  it("treats an unclosed fence as code to the end", () => {
    expect(parseMentions(`before\n\`\`\`\n@[Ada](user:${ADA})`)).toEqual([]);
  });

  it("turns mentions into plain @names for notifications and e-mails", () => {
    expect(mentionsToText(`@[Ada Lovelace](user:${ADA}), see **this**`)).toBe("@Ada Lovelace, see **this**");
    expect(mentionsToText("no mentions")).toBe("no mentions");
  });
});

describe("mention markup", () => {
  it("round-trips through the parser, whatever the name", () => {
    for (const name of ["Ada Lovelace", "[evil](user:x)", "Line\nbreak", "  ", "Zoë Ångström"]) {
      const markup = mentionMarkup({ id: ADA, name });
      expect(parseMentions(`hey ${markup}`)).toEqual([ADA]);
    }
  });

  it("is written the same way by the editor and the server", () => {
    for (const name of ["Ada Lovelace", "[a]", "x\ny", ""]) {
      expect(editorMarkup({ id: ALAN, name })).toBe(mentionMarkup({ id: ALAN, name }));
    }
  });
});

describe("the editor's mention query", () => {
  it("finds the name being typed after an @", () => {
    expect(activeMentionQuery("hello @ad", 9)).toEqual({ start: 6, query: "ad" });
    expect(activeMentionQuery("@", 1)).toEqual({ start: 0, query: "" });
    expect(activeMentionQuery("(@Ada Lo", 8)).toEqual({ start: 1, query: "Ada Lo" });
  });

  it("stays quiet elsewhere", () => {
    expect(activeMentionQuery("mail ada@exa", 12)).toBeNull();
    expect(activeMentionQuery("hello @ada ", 11)).toBeNull();
    expect(activeMentionQuery("@Ada Lovelace said", 18)).toBeNull();
    expect(activeMentionQuery("hello @ad", 3)).toBeNull();
  });

  it("inserts the readable @Name in place of the query, caret after it, and sends it as markup", () => {
    const text = "cc @ad and more";
    const ada = { id: ADA, name: "Ada" };
    const { text: next, caret } = insertMention(text, { start: 3, end: 6 }, ada);
    expect(next).toBe("cc @Ada and more");
    expect(next.slice(0, caret)).toBe("cc @Ada ");
    expect(parseMentions(toMarkup(next, [ada]))).toEqual([ADA]);
  });

  it("sends the longest chosen name, leaves look-alikes and edited names as text", () => {
    const people = [
      { id: ADA, name: "Ada Lovelace" },
      { id: ALAN, name: "Ada" },
    ];
    expect(toMarkup("@Ada Lovelace, @Ada, @Adam, mail @Ada.", people)).toBe(
      `@[Ada Lovelace](user:${ADA}), @[Ada](user:${ALAN}), @Adam, mail @[Ada](user:${ALAN}).`,
    );
    expect(toMarkup("@Ada Lovelac", [{ id: ADA, name: "Ada Lovelace" }])).toBe("@Ada Lovelac");
  });

  it("turns a stored comment back into readable text with the people it names, and round-trips", () => {
    const stored = `Thanks @[Ada Lovelace](user:${ADA}) and @[Alan](user:${ALAN})!`;
    const editable = toEditable(stored);
    expect(editable.text).toBe("Thanks @Ada Lovelace and @Alan!");
    expect(editable.people.map((p) => p.id)).toEqual([ADA, ALAN]);
    expect(toMarkup(editable.text, editable.people)).toBe(stored);
  });

  it("suggests members by name start, then word start, then e-mail", () => {
    const people = [
      { id: "1", name: "Grace Hopper", email: "grace@x.dev" },
      { id: "2", name: "Ada Lovelace", email: "countess@x.dev" },
      { id: "3", name: "Alan Turing", email: "alan@x.dev" },
      { id: "4", name: "Barbara Liskov", email: "adaptive@x.dev" },
    ];
    expect(matchPeople(people, "ad").map((p) => p.id)).toEqual(["2", "4"]);
    expect(matchPeople(people, "lo").map((p) => p.id)).toEqual(["2"]);
    expect(matchPeople(people, "").map((p) => p.id)).toEqual(["1", "2", "3", "4"]);
    expect(matchPeople(people, "zz")).toEqual([]);
  });
});

describe("plain excerpts for the inbox and e-mails", () => {
  it("drops markdown syntax, keeps mentions as @Name, one line per block", () => {
    const body = `**Great** run, @[Ada Lovelace](user:${ADA})! See [the chart](https://x.test/c).\n\n- lr \`3e-4\`\n- _more_ steps\n\n\`\`\`py\nprint(1)\n\`\`\``;
    expect(plainExcerpt(body)).toBe("Great run, @Ada Lovelace! See the chart.\nlr 3e-4\nmore steps\nprint(1)");
  });

  it("cuts long text with an ellipsis", () => {
    expect(plainExcerpt("word ".repeat(500), 20)).toBe("word word word word…");
  });
});
