import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from "../../server/access/permissions";

// The table written out by hand, as in the README: a change to the module must be made here too.
const expected: Record<Permission, string> = {
  "project.read": "owner maintainer contributor viewer",
  "project.watch": "owner maintainer contributor viewer",
  "member.leave": "owner maintainer contributor viewer",
  "layout.save": "owner maintainer contributor viewer",
  "project.update": "owner maintainer",
  "project.archive": "owner",
  "project.delete": "owner",
  "member.manage": "owner",
  "audit.read": "owner",
  "experiment.write": "owner maintainer contributor",
  "experiment.delete": "owner maintainer",
  "run.write": "owner maintainer contributor",
  "run.delete": "owner maintainer contributor",
  "model.write": "owner maintainer contributor",
  "model.delete": "owner maintainer",
  "promotion.request": "owner maintainer contributor",
  "promotion.review": "owner maintainer",
  "promotion.rules": "owner maintainer",
  "promotion.rollback": "owner maintainer",
  "comment.write": "owner maintainer contributor",
  "comment.moderate": "owner maintainer",
  "webhook.manage": "owner maintainer",
  "monitoring.write": "owner maintainer contributor",
  "monitoring.configure": "owner maintainer",
  "alert.manage": "owner maintainer",
};

describe("role → permission table", () => {
  it("grants exactly the documented permissions to each role", () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      const holders = ROLES.filter((role) => ROLE_PERMISSIONS[role].has(permission)).join(" ");
      expect(holders, permission).toBe(expected[permission]);
    }
    expect(Object.keys(expected).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  it("orders roles so each holds every permission of the roles below it", () => {
    for (let i = 0; i + 1 < ROLES.length; i++) {
      for (const permission of ROLE_PERMISSIONS[ROLES[i + 1]!]) {
        expect(ROLE_PERMISSIONS[ROLES[i]!].has(permission)).toBe(true);
      }
    }
  });
});
