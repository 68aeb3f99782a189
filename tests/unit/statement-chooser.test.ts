import { describe, expect, it } from "vitest";
import { StatementChooser } from "../../server/db/prepared-statements";

describe("the statement chooser", () => {
  it("prepares a text from its third execution, and at most 100 texts", () => {
    const chooser = new StatementChooser();
    const executions = (text: string, times: number) => Array.from({ length: times }, () => chooser.admits(text));
    expect(executions("select $1", 4)).toEqual([false, false, true, true]);
    for (let i = 0; i < 99; i++) executions(`select ${i}, $1`, 3);
    expect(executions("one too many, $1", 5)).toEqual([false, false, false, false, false]);
    expect(executions("select $1", 1)).toEqual([true]);
  });
});
