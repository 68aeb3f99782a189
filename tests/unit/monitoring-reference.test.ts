import { describe, expect, it } from "vitest";
import { binOf } from "../../server/services/monitoring/binning";
import { referenceColumns } from "../../server/services/monitoring/reference-columns";

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("referenceColumns", () => {
  it("bins a numeric column at its ten quantiles (numpy's linear interpolation) and counts through binOf", () => {
    const [age] = referenceColumns({ columns: ["age"], data: range(100).map((v) => [v]) }, { signatureInputs: null });
    // numpy.quantile(range(1, 101), [0.1, …, 0.9])
    expect(age!.edges).toEqual([10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1].map((e) => expect.closeTo(e, 9)));
    expect(age!.counts).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(age).toMatchObject({ name: "age", role: "feature", kind: "numeric", missing: 0 });
  });

  it("drops repeated edges, so a column of few values has fewer bins, and counts absent values as missing", () => {
    const data = [[0], [0], [0], [0], [0], [0], [1], [1], [null], [undefined], [Number.NaN]];
    const [flag] = referenceColumns({ columns: ["flag"], data }, { signatureInputs: null });
    // numpy.quantile([0] * 6 + [1] * 2, [0.1, …, 0.9]) is six zeros, 0, 0.6 and 1.
    expect(flag!.edges).toEqual([0, expect.closeTo(0.6, 9), 1]);
    expect(flag!.counts).toEqual([6, 0, 2, 0]);
    expect(flag!.missing).toBe(3);
  });

  it("keeps the 20 most frequent categories (ties by name) and puts the rest in one last bin", () => {
    const data: unknown[][] = [];
    for (let i = 0; i < 25; i++) for (let k = 0; k <= i; k++) data.push([`c${String(i).padStart(2, "0")}`]);
    data.push([null]);
    const [city] = referenceColumns({ columns: ["city"], data }, { signatureInputs: null });
    expect(city!.kind).toBe("categorical");
    expect(city!.categories).toHaveLength(20);
    expect(city!.categories![0]).toBe("c24");
    expect(city!.categories![19]).toBe("c05");
    expect(city!.counts.at(-1)).toBe(1 + 2 + 3 + 4 + 5);
    expect(city!.missing).toBe(1);
    expect(binOf(city!, "somewhere else")).toBe(20);
  });

  it("marks the prediction column, leaves the label out, and keeps only the signature's inputs as features", () => {
    const table = { columns: ["age", "city", "debug_id", "prediction", "label"], data: [[30, "Oslo", 7, 1, 1]] };
    const columns = referenceColumns(table, {
      signatureInputs: [
        { name: "age", type: "double", required: true },
        { name: "city", type: "string", required: false },
      ],
    });
    expect(columns.map((c) => [c.name, c.role])).toEqual([
      ["age", "feature"],
      ["city", "feature"],
      ["prediction", "prediction"],
    ]);
    // Without a signature every column but the label is watched.
    expect(referenceColumns(table, { signatureInputs: null }).map((c) => c.name)).toEqual(["age", "city", "debug_id", "prediction"]);
  });

  it("takes a column's kind from the signature: a long feature of numeric text is numeric", () => {
    const [zip] = referenceColumns(
      { columns: ["zip"], data: [["0150"], ["5003"], ["abc"]] },
      { signatureInputs: [{ name: "zip", type: "long", required: true }] },
    );
    expect(zip!.kind).toBe("numeric");
    expect(zip!.missing).toBe(1);
  });

  it("names the columns it was told of but cannot find, and the signature's required inputs the table lacks", () => {
    const table = { columns: ["age", "y_hat"], data: [[1, 0]] };
    expect(() => referenceColumns(table, { prediction: "score", signatureInputs: null })).toThrow("The prediction column 'score' is not in the table");
    expect(() => referenceColumns(table, { signatureInputs: [{ name: "income", type: "double", required: true }] })).toThrow(
      "lacks the model signature's inputs income",
    );
    expect(referenceColumns(table, { prediction: "y_hat", signatureInputs: [{ name: "income", type: "double", required: false }] }).map((c) => c.name)).toEqual(
      ["y_hat"],
    );
  });
});
