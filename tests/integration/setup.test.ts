import { describe, expect, it } from "vitest";
import { anonymous } from "../../server/access/actor";
import { callerFor, outcome } from "../support/factories";

const admin = (n: number) => ({ email: `admin${n}@example.com`, name: `Admin ${n}`, password: "long enough pw" });

describe("first administrator set-up", () => {
  it("is offered while there are no users, and exactly one of two racing submissions wins", async () => {
    const api = callerFor(anonymous);
    expect(await api.setup.status()).toEqual({ needsSetup: true });
    const results = await Promise.all([1, 2, 3].map((n) => outcome(() => api.setup.createAdmin(admin(n)))));
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    expect(results.filter((r) => r === "CONFLICT")).toHaveLength(2);
    expect(await api.setup.status()).toEqual({ needsSetup: false });
  });

  it("answers a weak password with a field-level message", async () => {
    await expect(callerFor(anonymous).setup.createAdmin({ ...admin(9), password: "short" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { issues: [{ path: ["password"], message: "Password must be at least 10 characters" }] },
    });
  });
});
