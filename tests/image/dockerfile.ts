/**
 * Reads the subset of Dockerfile syntax that Cairn's Dockerfile uses, and .dockerignore, for the
 * image tier (there is no Docker engine in CI). Anything outside the subset is refused by name, so
 * the Dockerfile cannot drift into instructions the tier would silently skip.
 */

export type Instruction =
  | { line: number; kind: "FROM"; image: string; name: string }
  | { line: number; kind: "WORKDIR"; path: string }
  | { line: number; kind: "ENV"; values: Record<string, string> }
  | { line: number; kind: "COPY"; from?: string; sources: string[]; dest: string }
  | { line: number; kind: "RUN"; command: string }
  | { line: number; kind: "USER"; user: string }
  | { line: number; kind: "VOLUME"; paths: string[] }
  | { line: number; kind: "EXPOSE"; ports: string[] }
  | { line: number; kind: "HEALTHCHECK"; options: Record<string, string>; command: string[] }
  | { line: number; kind: "CMD"; command: string[] };

export type Stage = { name: string; image: string; instructions: Instruction[] };

/** The stages of a Dockerfile, in order. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { line, keyword, rest } of logicalLines(text)) {
    const instruction = parseInstruction(line, keyword, rest);
    if (instruction.kind === "FROM") stages.push({ name: instruction.name, image: instruction.image, instructions: [] });
    else if (stages.length === 0) throw new Error(`Dockerfile line ${line}: ${keyword} before FROM`);
    stages.at(-1)!.instructions.push(instruction);
  }
  return stages;
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function* logicalLines(text: string): Generator<{ line: number; keyword: string; rest: string }> {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let joined = lines[i]!.trim();
    if (joined === "" || joined.startsWith("#")) continue;
    while (joined.endsWith("\\")) {
      joined = joined.slice(0, -1);
      // A comment line inside a continuation is skipped, as Docker does.
      do i++;
      while (i < lines.length && lines[i]!.trim().startsWith("#"));
      if (i >= lines.length) throw new Error(`Dockerfile line ${start + 1}: continuation at the end of the file`);
      joined += ` ${lines[i]!.trim()}`;
    }
    const match = /^(\S+)\s*(.*)$/.exec(joined)!;
    yield { line: start + 1, keyword: match[1]!.toUpperCase(), rest: match[2]!.trim() };
  }
}

function parseInstruction(line: number, keyword: string, rest: string): Instruction {
  const fail = (why: string): never => {
    throw new Error(`Dockerfile line ${line}: ${keyword} ${why} (the image tier reads only the forms Cairn's Dockerfile uses)`);
  };
  switch (keyword) {
    case "FROM": {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? fail("must be `FROM <image> [AS <name>]`");
      return { line, kind: "FROM", image: match[1]!, name: match[2] ?? match[1]! };
    }
    case "WORKDIR":
      if (!rest.startsWith("/")) fail("needs an absolute path");
      return { line, kind: "WORKDIR", path: rest };
    case "ENV": {
      const values: Record<string, string> = {};
      for (const word of words(rest, fail)) {
        const at = word.indexOf("=");
        if (at <= 0) fail("must be `ENV KEY=value …`");
        values[word.slice(0, at)] = word.slice(at + 1);
      }
      return { line, kind: "ENV", values };
    }
    case "COPY": {
      const all = words(rest, fail);
      let from: string | undefined;
      while (all[0]?.startsWith("--")) {
        const option = /^--from=(\S+)$/.exec(all.shift()!) ?? fail("takes no option but --from=<stage>");
        from = option[1];
      }
      if (all.length < 2) fail("needs a source and a destination");
      return { line, kind: "COPY", from, sources: all.slice(0, -1), dest: all.at(-1)! };
    }
    case "RUN":
      if (rest.startsWith("[") || rest.startsWith("--")) fail("must be in shell form without options");
      return { line, kind: "RUN", command: rest };
    case "USER":
      return { line, kind: "USER", user: rest };
    case "VOLUME":
      return { line, kind: "VOLUME", paths: rest.startsWith("[") ? jsonStrings(rest, fail) : words(rest, fail) };
    case "EXPOSE":
      return { line, kind: "EXPOSE", ports: words(rest, fail) };
    case "HEALTHCHECK": {
      const options: Record<string, string> = {};
      let remaining = rest;
      for (let option = /^--(\w[\w-]*)=(\S+)\s+/.exec(remaining); option; option = /^--(\w[\w-]*)=(\S+)\s+/.exec(remaining)) {
        options[option[1]!] = option[2]!;
        remaining = remaining.slice(option[0].length);
      }
      if (!remaining.startsWith("CMD ")) fail('must end in `CMD ["…"]`');
      return { line, kind: "HEALTHCHECK", options, command: jsonStrings(remaining.slice(4).trim(), fail) };
    }
    case "CMD":
      return { line, kind: "CMD", command: jsonStrings(rest, fail) };
    default:
      return fail("is not supported");
  }
}

/** Space-separated words (quoting is outside the subset). */
function words(text: string, fail: (why: string) => never): string[] {
  if (/["']/.test(text)) fail("with quotes is not supported");
  return text.split(/\s+/).filter(Boolean);
}

/** The exec form: a JSON array of strings. */
function jsonStrings(text: string, fail: (why: string) => never): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail("needs the exec form, a JSON array of strings");
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === "string")) fail("needs a non-empty JSON array of strings");
  return parsed as string[];
}

/**
 * A .dockerignore as a test of relative paths: a path is excluded when the last pattern matching it
 * or one of its parent folders excludes it (`*` and `?` stay within a path segment, `**` spans
 * segments, a leading `!` re-includes).
 */
export function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((pattern) => {
      const include = pattern.startsWith("!");
      const body = (include ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, "");
      return { include, regex: new RegExp(`^${globToRegex(body)}$`) };
    });
  return (relativePath) => {
    const segments = relativePath.split("/");
    let excluded = false;
    for (const rule of rules) {
      for (let n = 1; n <= segments.length; n++) {
        if (rule.regex.test(segments.slice(0, n).join("/"))) {
          excluded = !rule.include;
          break;
        }
      }
    }
    return excluded;
  };
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      // `**/` matches no folder or any number of them.
      out += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return out;
}
