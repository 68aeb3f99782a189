import type { Metadata } from "next";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New project" };

export default function NewProjectPage() {
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title="New project" description="You will be its owner. The slug appears in URLs and in MLFLOW_TRACKING_URI." />
      <Card>
        <CardBody>
          <CreateProjectForm />
        </CardBody>
      </Card>
    </div>
  );
}
