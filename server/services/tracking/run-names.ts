import { randomInt } from "node:crypto";

const ADJECTIVES = [
  "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "dapper", "eager", "fast", "gentle", "glad",
  "golden", "grand", "happy", "honest", "jolly", "keen", "kind", "lively", "lucky", "mellow", "merry", "neat",
  "nimble", "noble", "patient", "polite", "proud", "quick", "quiet", "rare", "silent", "sleek", "smart", "snappy",
  "steady", "sunny", "swift", "tidy", "upbeat", "vivid", "warm", "wise", "witty", "zesty",
];
const NOUNS = [
  "badger", "bear", "bee", "bison", "cat", "crane", "crow", "deer", "dolphin", "eagle", "falcon", "finch", "fox",
  "gull", "hare", "hawk", "heron", "ibis", "jay", "koala", "lark", "lynx", "mole", "moose", "newt", "otter", "owl",
  "panda", "puffin", "quail", "raven", "robin", "seal", "shrew", "sloth", "snail", "stork", "swan", "tern", "toad",
  "trout", "vole", "wolf", "wren", "yak", "zebra",
];

/** A readable name for a run the client did not name, in MLflow's adjective-animal-number style. */
export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
