import { Badge, type Tone } from "../ui/badge";

const tones: Record<string, Tone> = { RUNNING: "blue", SCHEDULED: "neutral", FINISHED: "green", FAILED: "red", KILLED: "amber" };

export function RunStatus({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? "neutral"}>{status.toLowerCase()}</Badge>;
}

/** A run's duration in words: "2 h 5 min", "41 s". */
export function formatDuration(startMs: number, endMs: number | null): string {
  const seconds = Math.max(0, Math.round(((endMs ?? Date.now()) - startMs) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
