import { Tabs } from "../projects/tabs";

export function AdminNav() {
  return (
    <div className="mb-6 border-b border-stone-200 dark:border-stone-800">
      <Tabs
        tabs={[
          { href: "/admin/users", label: "Users" },
          { href: "/admin/audit", label: "Audit log" },
        ]}
      />
    </div>
  );
}
