import Link from "next/link";
import { Fragment, type ReactNode } from "react";
import { PageHeader } from "../ui/page-header";

/** A monitoring page's header: the links back up (model, monitoring) above its title. */
export function MonitoringHeader(props: { trail: { href: string; label: string }[]; title: string; description: ReactNode; actions?: ReactNode }) {
  return (
    <PageHeader
      eyebrow={props.trail.map((step, i) => (
        <Fragment key={step.href}>
          {i > 0 && " / "}
          <Link href={step.href} className="hover:underline">
            {step.label}
          </Link>
        </Fragment>
      ))}
      title={props.title}
      description={props.description}
      actions={props.actions}
    />
  );
}
