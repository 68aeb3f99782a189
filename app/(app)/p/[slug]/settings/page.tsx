import { DangerZone } from "@/components/projects/danger-zone";
import { ProjectSettingsForm } from "@/components/projects/project-settings-form";
import { PrimaryMetricForm } from "@/components/tracking/primary-metric-form";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { load, serverCaller } from "@/server/api/caller";

export default async function ProjectSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const api = await serverCaller();
  const project = await load(() => api.project.get({ projectSlug: slug }), `/p/${slug}/settings`);
  const can = (p: string) => project.permissions.includes(p as never);
  return (
    <>
      <Card>
        <CardHeader title="General" description={can("project.update") ? undefined : "Only maintainers and owners can edit these."} />
        <CardBody>
          <ProjectSettingsForm slug={project.slug} name={project.name} description={project.description} editable={can("project.update")} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Leaderboard" description="The metric that ranks this project's runs on its overview." />
        <CardBody>
          <PrimaryMetricForm
            slug={project.slug}
            metricKey={project.primaryMetricKey}
            goal={project.primaryMetricGoal}
            threshold={project.primaryMetricThreshold}
            editable={can("project.update")}
          />
        </CardBody>
      </Card>
      {(can("project.archive") || can("project.delete")) && (
        <DangerZone slug={project.slug} archived={Boolean(project.archivedAt)} canArchive={can("project.archive")} canDelete={can("project.delete")} />
      )}
    </>
  );
}
