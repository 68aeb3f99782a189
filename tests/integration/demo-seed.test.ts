import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../server/cli/main";
import { getDb } from "../../server/db/client";
import { projects } from "../../server/db/schema";
import { authenticatePassword } from "../../server/services/users";
import { callerFor, makeUser, outcome, sessionOf, unique } from "../support/factories";

async function seed(...args: string[]) {
  const lines: string[] = [];
  const code = await main(
    ["node", "cairn", "demo", "seed", ...args],
    (l) => lines.push(l),
    (l) => lines.push(l),
  );
  return { code, output: lines.join("\n"), password: /\(shown only now\): (\S+)$/m.exec(lines.join("\n"))?.[1] ?? null };
}

const signIn = (email: string, password: string) => authenticatePassword(getDb(), { email, password }, null);
const demo = (name: string) => `${name}@demo.cairn.dev`;
const projectNamed = async (slug: string) => (await getDb().select().from(projects).where(eq(projects.slug, slug)))[0] ?? null;

describe("npx cairn demo seed", () => {
  const slug = unique("demo");
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let first: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    admin = await makeUser({ isAdmin: true, name: "Ida Admin" });
    first = await seed("--project", slug, "--runs", "24", "--steps", "20");
  }, 120_000);

  it("makes the administrator who ran it an owner, and says so", async () => {
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(`${admin.email} is an owner of ${slug}`);
    const project = await callerFor(sessionOf(admin)).project.get({ projectSlug: slug });
    expect(project.slug).toBe(slug);
  });

  it("registers versions of the demo runs, protects @champion, and leaves one promotion applied and one open", async () => {
    const api = callerFor(sessionOf(admin));
    const project = await projectNamed(slug);
    expect(project?.primaryMetricKey).toBe("test/auc");
    const { models } = await api.registry.models({ projectSlug: slug });
    expect(models.map((m) => m.name).sort()).toEqual(["fraud-detector", "iris-classifier"]);
    const model = await api.registry.model({ projectSlug: slug, name: "fraud-detector" });
    expect(model.versions.length).toBeGreaterThanOrEqual(3);
    for (const v of model.versions) {
      expect(v.runId).toMatch(/^[0-9a-f]{32}$/);
      const detail = await api.registry.version({ projectSlug: slug, name: model.name, version: v.version });
      const run = await api.run.get({ projectSlug: slug, runId: v.runId! });
      expect(detail.metrics["test/auc"]).toBe(run.data.metrics.find((m) => m.key === "test/auc")?.value);
    }

    const rules = await api.promotion.rules({ projectSlug: slug });
    const rule = rules.find((r) => r.rule.targetKind === "alias" && r.rule.targetName === "champion")!.rule;
    expect(rule.requiredApprovals).toBe(2);
    expect(rule.gates).toContainEqual(expect.objectContaining({ type: "metric_vs_holder", metric: project!.primaryMetricKey }));

    const requests = await api.promotion.list({ projectSlug: slug, state: "all" });
    expect(requests.map((r) => r.status).sort()).toEqual(["applied", "open"]);
    const applied = await api.promotion.get({ projectSlug: slug, number: requests.find((r) => r.status === "applied")!.number });
    const approvers = applied.reviews.filter((r) => r.decision === "approve").map((r) => r.reviewerId);
    expect(new Set(approvers).size).toBe(2);
    expect(applied.holder).not.toBeNull();
    expect(model.aliases.find((a) => a.alias === "champion")?.version).toBe(String(applied.candidate.version.version));
    const open = requests.find((r) => r.status === "open")!;
    expect(open).toMatchObject({ approvals: 1, requiredApprovals: 2 });

    const thread = await api.comment.list({ projectSlug: slug, subject: { type: "promotion_request", id: String(applied.request.number) } });
    const bodies = [...thread.comments, ...thread.comments.flatMap((c) => c.replies)].map((c) => c.body);
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(thread.people).length).toBeGreaterThanOrEqual(1);
  });

  it("varies the runs: durations, outcomes and params", async () => {
    const all = await callerFor(sessionOf(admin)).run.search({ projectSlug: slug, maxResults: 100 });
    // The 24 asked for, and the run that trained the monitored iris classifier.
    expect(all.runs).toHaveLength(25);
    const runs = all.runs.filter((r) => r.info.runName !== "nearest-centroid");
    const durations = runs.filter((r) => r.info.endTime !== null).map((r) => r.info.endTime! - r.info.startTime);
    expect(new Set(durations).size).toBe(durations.length);
    expect(Math.max(...durations) / Math.min(...durations)).toBeGreaterThan(3);
    const statuses = new Set(runs.map((r) => r.info.status));
    for (const status of ["FINISHED", "FAILED", "KILLED"]) expect(statuses).toContain(status);
    const paramKeys = new Set(
      runs.map((r) =>
        r.data.params
          .map((p) => p.key)
          .sort()
          .join(","),
      ),
    );
    expect(paramKeys.size).toBe(3);
  });

  it("serves the iris classifier behind @production with shifted inputs at the end, so drift and decay alerts are open", async () => {
    expect(first.output).toMatch(/production: iris-classifier@production served 4,320 records \(\d[\d,]* labelled\)/);
    const api = callerFor(sessionOf(admin));
    const { alerts } = await api.alert.list({ projectSlug: slug, status: "open", modelName: "iris-classifier" });
    expect(alerts.map((a) => a.kind).sort()).toEqual(expect.arrayContaining(["decay", "drift"]));
    expect(alerts.some((a) => a.kind === "no_traffic")).toBe(false);
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const hoursBack = (hours: number) => ({ from: new Date(to.getTime() - hours * 3_600_000), to });
    const seen = await api.monitoring.target({ projectSlug: slug, name: "iris-classifier", target: "production", range: hoursBack(72) });
    const lastHours = await api.monitoring.target({ projectSlug: slug, name: "iris-classifier", target: "production", range: hoursBack(12) });
    const drift = Object.fromEntries(lastHours.drift.map((d) => [d.column, d.psi]));
    // The petals shifted in the last twelve hours; the sepals did not.
    expect(drift.petal_length).toBeGreaterThan(0.25);
    expect(drift.sepal_width).toBeLessThan(0.1);
    const early = seen.windows.slice(0, 48).filter((w) => w.metric !== null);
    const late = seen.windows.slice(-12).filter((w) => w.metric !== null);
    const mean = (ws: typeof early) => ws.reduce((sum, w) => sum + w.metric!, 0) / ws.length;
    expect(mean(early)).toBeGreaterThan(0.85);
    expect(mean(late)).toBeLessThan(mean(early) - 0.15);
  });

  it("gives the demo accounts a random password, shown once; a second seed gives another", async () => {
    expect(first.password).toMatch(/^[\w-]{16}$/);
    await expect(signIn(demo("grace"), first.password!)).resolves.toMatchObject({ email: demo("grace") });
    const second = await seed("--project", unique("demo"), "--runs", "2", "--steps", "5");
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain("registry: skipped");
    expect(second.password).toMatch(/^[\w-]{16}$/);
    expect(second.password).not.toBe(first.password);
    await expect(signIn(demo("grace"), second.password!)).resolves.toMatchObject({ email: demo("grace") });
    await expect(signIn(demo("ada"), first.password!)).rejects.toThrow("Wrong e-mail or password");
  });

  it("takes the operator's --password and --owner", async () => {
    const person = await makeUser();
    const other = unique("demo");
    const chosen = await seed("--project", other, "--runs", "1", "--steps", "5", "--password", "my demo password", "--owner", person.email.toUpperCase());
    expect(chosen.code, chosen.output).toBe(0);
    expect(chosen.output).toContain("password of the demo accounts: the one given with --password");
    expect(chosen.output).not.toContain("my demo password");
    await expect(signIn(demo("alan"), "my demo password")).resolves.toMatchObject({ email: demo("alan") });
    expect(chosen.output).toContain(`${person.email} is an owner of ${other}`);
    expect(await outcome(() => callerFor(sessionOf(person)).project.get({ projectSlug: other }))).toBe("OK");
    expect(await outcome(() => callerFor(sessionOf(admin)).project.get({ projectSlug: other }))).toBe("NOT_FOUND");
  });

  it("refuses an unknown --owner or a weak --password before writing anything", async () => {
    const nowhere = unique("demo");
    const unknown = await seed("--project", nowhere, "--runs", "1", "--owner", "nobody@example.com");
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain("No user with e-mail nobody@example.com");
    const weak = await seed("--project", nowhere, "--runs", "1", "--password", "short");
    expect(weak.code).toBe(1);
    expect(weak.output).toContain("at least 10 characters");
    expect(await projectNamed(nowhere)).toBeNull();
    await expect(signIn(demo("alan"), "my demo password")).resolves.toMatchObject({ email: demo("alan") });
  });
});
