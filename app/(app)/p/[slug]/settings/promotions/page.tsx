import type { Metadata } from "next";
import { RulesPanel } from "@/components/promotions/rules-panel";
import { REVIEWER_ROLES } from "@/server/access/promotions";
import { load, serverCaller } from "@/server/api/caller";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Promotion rules · ${(await params).slug}` };
}

/** Protected targets and their approval rules and gates; rules are data, edited here. */
export default async function PromotionRulesPage({ params }: Props) {
  const { slug } = await params;
  const api = await serverCaller();
  const [project, rules, members, models] = await load(
    () =>
      Promise.all([
        api.project.get({ projectSlug: slug }),
        api.promotion.rules({ projectSlug: slug }),
        api.member.list({ projectSlug: slug }),
        api.registry.models({ projectSlug: slug, limit: 200 }),
      ]),
    `/p/${slug}/settings/promotions`,
  );
  return (
    <RulesPanel
      slug={slug}
      rules={rules}
      members={members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role }))}
      reviewerRoles={[...REVIEWER_ROLES]}
      models={models.models.map((m) => m.name).sort()}
      canEdit={project.permissions.includes("promotion.rules")}
    />
  );
}
