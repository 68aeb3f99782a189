/**
 * Run ids are UUIDs in the database and 32 lower-case hex characters on the wire (MLflow's
 * `uuid4().hex`). Anything that is not a run id simply matches no run.
 */
export function runIdOf(uuid: string): string {
  return uuid.replaceAll("-", "");
}

export function uuidOfRunId(runId: string): string | null {
  const hex = runId.trim().toLowerCase().replaceAll("-", "");
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Experiment ids are per-project numbers, sent as strings ("0" is Default). */
export function experimentNumberOf(id: string | number): number | null {
  const text = String(id).trim();
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

export const experimentArtifactLocation = (number: number) => `mlflow-artifacts:/${number}`;
export const runArtifactUri = (experimentNumber: number, runId: string) => `mlflow-artifacts:/${experimentNumber}/${runIdOf(runId)}/artifacts`;
