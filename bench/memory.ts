import { readFileSync } from "node:fs";

/** The command line of a process, "" once it has exited. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

/** Samples memory figures every 100 ms while a phase runs, keeping the peak of each. */
export class MemorySampler {
  private readonly peaks: number[];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly probes: readonly (() => number)[]) {
    this.peaks = probes.map(() => 0);
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    this.probes.forEach((probe, i) => {
      this.peaks[i] = Math.max(this.peaks[i]!, probe());
    });
  }

  /** Stops sampling; returns the peak of each probe, in the order given. */
  stop(): number[] {
    clearInterval(this.timer);
    this.sample();
    return this.peaks;
  }
}
