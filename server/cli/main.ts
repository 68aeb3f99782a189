import { Command, CommanderError, InvalidArgumentError } from "commander";
import { systemActor } from "../access/actor";
import { authorizeProject } from "../access/authorize";
import { createServiceContext } from "../context";
import { getDb } from "../db/client";
import { migrateDatabase, migrationStatus } from "../db/migrate";
import { env } from "../env.js";
import { DomainError, invalid, notFound } from "../errors";
import { DEMO_PEOPLE, seedDemoProject } from "../services/demo/seed";
import { absoluteUrl } from "../services/links";
import { insertProject } from "../services/projects";
import { openRequest } from "../services/promotions/open-request";
import { issueToken } from "../services/tokens";
import { purgeDeletedRuns } from "../services/tracking/purge";
import { createUser, findUserByEmail, setUserPassword } from "../services/users";
import { wireDomain } from "../services/wiring";
import { chainLegacyRows } from "../services/audit-trail/chain-store";
import { verifyAudit } from "./audit-verify";
import { withDatabase } from "./database";

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const operator = () => createServiceContext(systemActor("cli"));

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("must be a number of days, 0 or more");
  return n;
}

async function userByEmail(email: string) {
  const user = await findUserByEmail(operator().db, email.trim().toLowerCase());
  if (!user) throw notFound(`No user with e-mail ${email}`);
  return user;
}

/** All of standard input, without the one line break that `echo` or a here-string adds. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function program(out: (line: string) => void, cwd: string): Command {
  const cli = new Command("cairn").description("Operate a Cairn installation").exitOverride().showHelpAfterError();

  const users = cli.command("users").description("Manage user accounts");
  users
    .command("create")
    .description("Create a user (use --admin for the first administrator of a headless install)")
    .requiredOption("--email <email>", "e-mail address, used to sign in")
    .requiredOption("--password <password>", "initial password (at least 10 characters)")
    .option("--name <name>", "display name (defaults to the part before @)")
    .option("--admin", "make the user an instance administrator", false)
    .action((o: { email: string; password: string; name?: string; admin: boolean }) =>
      withDatabase({ migrate: true }, async () => {
        const user = await createUser({
          ctx: operator(),
          input: { email: o.email, password: o.password, name: o.name ?? o.email.split("@")[0] ?? o.email, isAdmin: o.admin },
        });
        out(`created user ${user.email}${user.isAdmin ? " (administrator)" : ""}`);
      }),
    );
  const setPassword = users
    .command("set-password")
    .description("Set a new password for a user who lost theirs; their browser sessions end")
    .requiredOption("--email <email>", "the user's e-mail address")
    .option("--password <password>", "the new password (at least 10 characters)")
    .option("--password-stdin", "read the new password from standard input (keeps it out of shell history)", false)
    .action(async (o: { email: string; password?: string; passwordStdin: boolean }) => {
      if ((o.password !== undefined) === o.passwordStdin) setPassword.error("error: give the new password with either --password or --password-stdin");
      const password = o.passwordStdin ? await readStdin() : o.password!;
      await withDatabase({ migrate: true }, async () => {
        const user = await userByEmail(o.email);
        await setUserPassword({ ctx: operator(), input: { userId: user.id, password } });
        out(`set a new password for ${user.email}; their sessions have ended`);
      });
    });

  cli
    .command("tokens")
    .description("Manage access tokens")
    .command("create")
    .description("Issue an access token for a user and print its secret (shown only once)")
    .requiredOption("--email <email>", "the user who owns the token")
    .requiredOption("--name <name>", "what the token is for")
    .option("--project <slug>", "restrict the token to one project the user belongs to")
    .option("--read-only", "read-only scope", false)
    .option("--expires-days <n>", "days until the token expires (default: never)", positiveInt)
    .action((o: { email: string; name: string; project?: string; readOnly: boolean; expiresDays?: number }) =>
      withDatabase({ migrate: true }, async () => {
        const user = await userByEmail(o.email);
        const asUser = createServiceContext({ kind: "user", via: "session", user });
        const project = o.project ? (await authorizeProject(asUser, o.project, "project.read")).project : null;
        const { secret } = await issueToken(operator(), user.id, {
          name: o.name,
          expiresInDays: o.expiresDays ?? null,
          projectId: project?.id ?? null,
          readOnly: o.readOnly,
        });
        out(secret);
      }),
    );

  cli
    .command("projects")
    .description("Manage projects")
    .command("create")
    .description("Create a project owned by a user")
    .requiredOption("--slug <slug>", "URL name, e.g. fraud-detection")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--owner <email>", "e-mail of the owner")
    .option("--description <text>", "description", "")
    .action((o: { slug: string; name: string; owner: string; description: string }) =>
      withDatabase({ migrate: true }, async () => {
        const owner = await userByEmail(o.owner);
        const project = await insertProject(operator(), { slug: o.slug, name: o.name, description: o.description }, owner.id);
        out(`created project ${project.slug} owned by ${owner.email}`);
      }),
    );

  cli
    .command("gc")
    .description("Permanently delete runs (data and artifact files) deleted more than N days ago")
    .option("--older-than-days <n>", "retention in days (default: CAIRN_RUN_RETENTION_DAYS, 30)", nonNegative)
    .action((o: { olderThanDays?: number }) =>
      withDatabase({ migrate: true }, async () => {
        const days = o.olderThanDays ?? env().CAIRN_RUN_RETENTION_DAYS;
        const { runs } = await purgeDeletedRuns(operator(), new Date(Date.now() - days * 86_400_000));
        out(`purged ${runs} run(s) deleted more than ${days} day(s) ago`);
      }),
    );

  cli
    .command("demo")
    .description("Demo data")
    .command("seed")
    .description("Fill a project with people, runs, datasets, artifacts, models and promotion reviews (people and project are reused; adds runs)")
    .option("--project <slug>", "project to fill (created if missing)", "demo")
    .option("--runs <n>", "number of runs", positiveInt, 200)
    .option("--steps <n>", "training steps per run (train/loss is logged every step)", positiveInt, 500)
    .option("--password <password>", "password of the demo accounts (default: a new random one, printed once)")
    .option("--owner <email>", "make this user an owner of the project (default: the first administrator)")
    .action((o: { project: string; runs: number; steps: number; password?: string; owner?: string }) =>
      withDatabase({ migrate: true }, async () => {
        const started = Date.now();
        const result = await seedDemoProject(operator(), {
          projectSlug: o.project,
          runs: o.runs,
          steps: o.steps,
          password: o.password,
          ownerEmail: o.owner,
          onProgress: (done, total) => {
            if (done === total || done % Math.max(1, Math.floor(total / 20)) === 0) process.stderr.write(`\rseeding runs: ${done}/${total}`);
          },
        });
        process.stderr.write("\n");
        out(
          `seeded project ${result.project}: ${result.runs} runs, ${result.points.toLocaleString("en")} metric points in ${Math.round((Date.now() - started) / 1000)} s`,
        );
        const r = result.registry;
        out(
          "skipped" in r
            ? `registry: skipped (${r.skipped})`
            : `registry: ${r.model} with ${r.versions} versions; @${r.alias} needs ${r.requiredApprovals} approvals and ${r.gateMetric} at least the holder's; request #${r.applied.join(", #")} applied, #${r.open.join(", #")} open`,
        );
        const p = result.production;
        out(
          "skipped" in p
            ? `production: skipped (${p.skipped})`
            : `production: ${p.model}@${p.alias} served ${p.records.toLocaleString("en")} records (${p.labels.toLocaleString("en")} labelled) with shifted inputs at the end; ${p.alertsOpened} alerts open`,
        );
        out(
          result.owner
            ? `${result.owner.email} is ${result.owner.role === "owner" ? "an owner" : `a ${result.owner.role}`} of ${result.project}: ${absoluteUrl(operator(), `/p/${result.project}`)}`
            : `no administrator to add to ${result.project}: pass --owner <email> to make someone an owner`,
        );
        out(`demo accounts: ${DEMO_PEOPLE.map((p) => `${p.email} (${p.role})`).join(", ")}`);
        out(
          result.passwordGenerated
            ? `password of the demo accounts (shown only now): ${result.password}`
            : "password of the demo accounts: the one given with --password",
        );
      }),
    );

  cli
    .command("promotions")
    .description("Promotion requests")
    .command("request")
    .description("Ask for a model version to take a protected stage, alias or tag (prints the request's URL)")
    .requiredOption("--email <email>", "who asks (a member allowed to request promotions)")
    .requiredOption("--project <slug>", "the project")
    .requiredOption("--model <name>", "registered model name")
    .requiredOption("--version <n>", "model version", positiveInt)
    .requiredOption("--target <target>", "stage:Production, alias:champion or tag:deploy=prod")
    .option("--justification <text>", "why (markdown)", "")
    .action((o: { email: string; project: string; model: string; version: number; target: string; justification: string }) =>
      withDatabase({ migrate: true }, async () => {
        const match = /^(stage|alias|tag):([^=]+)(?:=(.*))?$/.exec(o.target);
        if (!match) throw invalid("--target must look like stage:Production, alias:champion or tag:deploy=prod");
        const user = await userByEmail(o.email);
        const asUser = { ...createServiceContext({ kind: "user", via: "session", user }), door: "cli" as const };
        const ctx = await authorizeProject(asUser, o.project, "promotion.request");
        const request = await openRequest({
          ctx,
          input: {
            modelName: o.model,
            version: o.version,
            target: { kind: match[1] as "stage" | "alias" | "tag", name: match[2]! },
            targetValue: match[3],
            justification: o.justification,
          },
          via: "cli",
        });
        out(`promotion request #${request.number} (${request.status}): ${absoluteUrl(ctx, `/p/${o.project}/promotions/${request.number}`)}`);
      }),
    );

  const audit = cli.command("audit").description("The tamper-evident audit trail");
  const verify = audit
    .command("verify")
    .description("Check the hash chains of the audit log and registry timelines; names the first broken row of each (exit 1)")
    .option("--project <slug>", "only this project's chains")
    .option("--file <path>", "check an exported JSON Lines file instead, without any database")
    .action((o: { project?: string; file?: string }) => {
      if (o.project && o.file) verify.error("error: --project and --file cannot be combined (an export holds whole chains)");
      return verifyAudit(o, out, cwd);
    });

  const db = cli.command("db").description("Database schema");
  db.command("migrate")
    .description("Apply pending migrations and chain audit rows written before the hash chain (the server also does this at start-up)")
    .action(() =>
      withDatabase({ migrate: false }, async (url) => {
        const { applied } = await migrateDatabase(url);
        const { rows } = await chainLegacyRows(getDb());
        out(applied ? `applied ${applied} migration(s)` : "the database is up to date");
        if (rows) out(`chained ${rows} audit and timeline row(s)`);
      }),
    );
  db.command("status")
    .description("List migrations and whether each is applied")
    .action(() =>
      withDatabase({ migrate: false }, async (url) => {
        const status = await migrationStatus(url);
        for (const m of status) out(`${m.applied ? "applied" : "pending"}  ${m.name}`);
        const pending = status.filter((m) => !m.applied).length;
        out(pending ? `${pending} pending` : "up to date");
      }),
    );
  return cli;
}

/**
 * Runs the CLI and returns the exit code: 0 done, 1 refused or failed, 2 bad usage. `cwd` is where
 * the operator ran the command, against which file paths in options are resolved.
 */
export async function main(argv: string[], out = (line: string) => console.log(line), err = (line: string) => console.error(line), cwd = process.cwd()) {
  wireDomain();
  try {
    await program(out, cwd).parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof DomainError) {
      err(`error: ${error.message}`);
      return EXIT.failed;
    }
    err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
