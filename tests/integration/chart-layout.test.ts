import { beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, makeProject, makeUser, outcome, sessionOf } from "../support/factories";

/** A chart layout is one person's, in one project: others never see it, and saving it again changes nothing. */

let slug: string;
let otherSlug: string;
let ada: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const other = await makeProject(owner);
  slug = project.slug;
  otherSlug = other.slug;
  ada = await makeUser();
  bob = await makeUser();
  await addMember(project.id, ada, "viewer");
  await addMember(other.id, ada, "viewer");
  await addMember(project.id, bob, "contributor");
});

describe("chart layouts", () => {
  it("starts empty and keeps what a viewer saves, pins once each in the order pinned", async () => {
    const api = callerFor(sessionOf(ada));
    expect(await api.chartLayout.get({ projectSlug: slug })).toEqual({ pinned: [], sections: {} });
    const layout = { pinned: ["val/loss", "train/acc", "val/loss"], sections: { "prefix:layer0": true, system: false } };
    expect(await api.chartLayout.save({ projectSlug: slug, ...layout })).toEqual({ pinned: ["val/loss", "train/acc"], sections: layout.sections });
    await api.chartLayout.save({ projectSlug: slug, ...layout });
    expect(await api.chartLayout.get({ projectSlug: slug })).toEqual({ pinned: ["val/loss", "train/acc"], sections: layout.sections });
  });

  it("is kept per person and per project", async () => {
    await callerFor(sessionOf(ada)).chartLayout.save({ projectSlug: slug, pinned: ["mine"], sections: {} });
    expect(await callerFor(sessionOf(bob)).chartLayout.get({ projectSlug: slug })).toEqual({ pinned: [], sections: {} });
    expect(await callerFor(sessionOf(ada)).chartLayout.get({ projectSlug: otherSlug })).toEqual({ pinned: [], sections: {} });
  });

  it("refuses a layout out of bounds with a clear error and keeps the last one", async () => {
    const api = callerFor(sessionOf(ada));
    await api.chartLayout.save({ projectSlug: slug, pinned: ["kept"], sections: {} });
    const tooMany = Array.from({ length: 101 }, (_, i) => `m${i}`);
    expect(await outcome(() => api.chartLayout.save({ projectSlug: slug, pinned: tooMany, sections: {} }))).toBe("BAD_REQUEST");
    expect(await outcome(() => api.chartLayout.save({ projectSlug: slug, pinned: [""], sections: {} }))).toBe("BAD_REQUEST");
    expect((await api.chartLayout.get({ projectSlug: slug })).pinned).toEqual(["kept"]);
  });
});
