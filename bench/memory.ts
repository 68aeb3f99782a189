import { readdirSync, readFileSync } from "node:fs";

/** Parent of every live process, read from /proc/<pid>/stat (the command name may hold spaces). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** The process and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The direct children of a process. */
export function childrenOf(pid: number): number[] {
  return [...parents()].filter(([, ppid]) => ppid === pid).map(([child]) => child);
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

/** Resident set size of one process in bytes (VmRSS), 0 once it has exited. */
export function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sum of VmRSS over a process and its descendants. */
export function treeRss(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + rssOf(pid), 0);
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
