import { randomBytes } from "node:crypto";
import { z } from "zod";
import { authorizeProject } from "../../access/authorize";
import type { ActorUser } from "../../access/actor";
import type { Role } from "../../access/permissions";
import { createServiceContext, type ProjectContext, type ServiceContext } from "../../context";
import { DomainError, notFound, parseInput } from "../../errors";
import { emailField, passwordField, slugField } from "../fields";
import { acceptInvitation, createInvitation } from "../invitations";
import { insertProject, setPrimaryMetric } from "../projects";
import { createExperiment, getExperimentByName } from "../tracking/experiments";
import { createUser, findUserByEmail, firstAdministrator, setUserPassword } from "../users";
import { seedProductionStory, type ProductionStory } from "./production";
import { seedRegistryStory, type RegistryStory } from "./registry";
import { seededRandom } from "./random";
import { EXPERIMENTS, PRIMARY_METRIC, seedRun, type SeededRun } from "./runs";

export const DEMO_PEOPLE: { email: string; name: string; role: Role }[] = [
  { email: "ada@demo.cairn.dev", name: "Ada Lovelace", role: "owner" },
  { email: "grace@demo.cairn.dev", name: "Grace Hopper", role: "maintainer" },
  { email: "margaret@demo.cairn.dev", name: "Margaret Hamilton", role: "maintainer" },
  { email: "linus@demo.cairn.dev", name: "Linus Torvalds", role: "contributor" },
  { email: "alan@demo.cairn.dev", name: "Alan Turing", role: "viewer" },
];

export const seedOptionsInput = z.object({
  projectSlug: slugField,
  runs: z.number().int().min(1),
  steps: z.number().int().min(1),
  /** The demo accounts' password; without it, a random one is made for this seed. */
  password: passwordField.optional(),
  /** Who else becomes an owner of the project (without it: the first administrator, if any). */
  ownerEmail: emailField.optional(),
});

export type SeedResult = {
  project: string;
  runs: number;
  points: number;
  /** The demo accounts' password, to show once: it is stored only as a hash. */
  password: string;
  passwordGenerated: boolean;
  /** The administrator (or `ownerEmail`) who can now open the project, with their role in it. */
  owner: { email: string; role: Role } | null;
  registry: RegistryStory;
  production: ProductionStory;
};

const isConflict = (error: unknown) => error instanceof DomainError && error.kind === "conflict";

/**
 * Fills a project with realistic demo data through the same services as every other door, so every
 * rule holds: people with each role (and an administrator as an owner, so whoever ran the seed can
 * open the project), experiments, runs with varied params, durations and outcomes, long metric
 * histories, datasets, notes, artifacts, and a registry with a protected alias, a promotion applied
 * after review and one awaiting its second approval, and a monitored model whose production inputs
 * drift (see production.ts). People and project are reused when they
 * exist (the demo accounts then get this seed's password); runs are added each time.
 */
export async function seedDemoProject(
  system: ServiceContext,
  options: z.input<typeof seedOptionsInput> & { onProgress?: (done: number, total: number) => void },
): Promise<SeedResult> {
  const data = parseInput(seedOptionsInput, options);
  const password = data.password ?? randomBytes(12).toString("base64url");
  const admin = await ownerToAdd(system, data.ownerEmail);

  const people = await Promise.all(DEMO_PEOPLE.map((p) => ensureUser(system, p, password)));
  const ada = people[0]!;
  await ensureProject(system, data.projectSlug, ada);
  const contexts: ProjectContext[] = [];
  for (const [i, person] of people.entries()) contexts.push(await join(data.projectSlug, ada, person, DEMO_PEOPLE[i]!.role));
  const [adaCtx, grace, margaret, linus] = contexts as [ProjectContext, ProjectContext, ProjectContext, ProjectContext];
  const adminCtx = admin ? await join(data.projectSlug, ada, admin, "owner") : null;
  if (!adaCtx.project.primaryMetricKey) await setPrimaryMetric({ ctx: adaCtx, input: { key: PRIMARY_METRIC, goal: "max", threshold: 0.8 } });

  const experimentIds = [];
  for (const e of EXPERIMENTS) experimentIds.push(await ensureExperiment(adaCtx, e.name));
  const rand = seededRandom(42);
  const loggers = contexts.filter((_, i) => DEMO_PEOPLE[i]!.role !== "viewer");
  const seeded: SeededRun[] = [];
  let points = 0;
  for (let i = 0; i < data.runs; i++) {
    const which = i % EXPERIMENTS.length;
    const { run, points: logged } = await seedRun(loggers[i % loggers.length]!, experimentIds[which]!, EXPERIMENTS[which]!, i, data.runs, data.steps, rand);
    seeded.push(run);
    points += logged;
    options.onProgress?.(i + 1, data.runs);
  }

  const registry = await seedRegistryStory({ contributor: linus, maintainers: [grace, margaret] }, seeded);
  const production = await seedProductionStory({ contributor: linus, maintainer: grace }, await ensureExperiment(adaCtx, "iris/species"));
  return {
    project: data.projectSlug,
    runs: data.runs,
    points,
    password,
    passwordGenerated: data.password === undefined,
    owner: admin && adminCtx ? { email: admin.email, role: adminCtx.role } : null,
    registry,
    production,
  };
}

async function ownerToAdd(system: ServiceContext, email: string | undefined): Promise<ActorUser | null> {
  const user = email ? await findUserByEmail(system.db, email) : await firstAdministrator(system.db);
  if (email && !user) throw notFound(`No user with e-mail ${email}`);
  return user && { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin };
}

/** A demo account with this seed's password (an existing one is given it, which ends its sessions). */
async function ensureUser(system: ServiceContext, person: (typeof DEMO_PEOPLE)[number], password: string): Promise<ActorUser> {
  const existing = await findUserByEmail(system.db, person.email);
  if (existing) await setUserPassword({ ctx: system, input: { userId: existing.id, password } });
  const user = existing ?? (await createUser({ ctx: system, input: { email: person.email, name: person.name, password } }));
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin };
}

async function ensureProject(system: ServiceContext, slug: string, owner: ActorUser) {
  try {
    await insertProject(system, { slug, name: "Fraud & Churn (demo)", description: "Demo data generated by `npx cairn demo seed`." }, owner.id);
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/** Brings a person into the project the way people join: an owner's invitation, accepted. */
async function join(slug: string, owner: ActorUser, person: ActorUser, role: Role): Promise<ProjectContext> {
  const asPerson = createServiceContext({ kind: "user", via: "session", user: person });
  try {
    return await authorizeProject(asPerson, slug, "project.read");
  } catch {
    const ownerCtx = await authorizeProject(createServiceContext({ kind: "user", via: "session", user: owner }), slug, "member.manage");
    const { secret } = await createInvitation({ ctx: ownerCtx, input: { email: person.email, role } });
    await acceptInvitation({ ctx: asPerson, input: { secret } });
    return authorizeProject(createServiceContext({ kind: "user", via: "session", user: person }), slug, "project.read");
  }
}

async function ensureExperiment(ctx: ProjectContext, name: string): Promise<string> {
  try {
    return (await createExperiment({ ctx, input: { name } })).experimentId;
  } catch (error) {
    if (!isConflict(error)) throw error;
    return (await getExperimentByName({ ctx, input: { name } })).experimentId;
  }
}
