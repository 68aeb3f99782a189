/**
 * A progress line on stderr: rewritten in place on a terminal, a line every few seconds otherwise
 * (CI logs), so stdout keeps only the table.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly phase: string,
    private readonly total: number,
  ) {
    this.draw(true);
  }

  tick(n = 1): void {
    this.done += n;
    this.draw(this.done >= this.total);
  }

  /** Ends the line with how long the phase took and an optional note. */
  finish(note = ""): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const line = `${this.prefix()} done in ${seconds}s${note ? `, ${note}` : ""}`;
    process.stderr.write(this.tty ? `\r\x1b[K${line}\n` : `${line}\n`);
  }

  private prefix(): string {
    return this.total > 1 ? `  ${this.phase}  ${this.done}/${this.total}` : `  ${this.phase}`;
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (this.tty) {
      if (!force && now - this.lastDraw < 100) return;
      process.stderr.write(`\r\x1b[K${this.prefix()}`);
    } else {
      if (!force && now - this.lastDraw < 5000) return;
      if (this.done < this.total) process.stderr.write(`${this.prefix()} …\n`);
    }
    this.lastDraw = now;
  }
}

/** A one-line note on stderr (set-up steps, warnings). */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Runs `work` under a progress line without a count (seeding, start-up). */
export async function step<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const progress = new Progress(phase, 1);
  const result = await work();
  progress.finish();
  return result;
}
