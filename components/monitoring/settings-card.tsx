import type { ComponentProps } from "react";
import { Card, CardBody, CardHeader } from "../ui/card";
import { MonitoringSettingsForm } from "./settings-form";

type FormProps = ComponentProps<typeof MonitoringSettingsForm>;

/** The model's monitoring settings in a card, as the model's and each target's monitoring page show them. */
export function SettingsCard(props: {
  slug: string;
  monitoring: { model: { name: string }; config: FormProps["config"]; metricsOfTask: FormProps["metricsOfTask"] };
  editable: boolean;
  description: string;
}) {
  return (
    <Card>
      <CardHeader title="Settings" description={props.description} />
      <CardBody>
        <MonitoringSettingsForm
          slug={props.slug}
          name={props.monitoring.model.name}
          config={props.monitoring.config}
          metricsOfTask={props.monitoring.metricsOfTask}
          editable={props.editable}
        />
      </CardBody>
    </Card>
  );
}
