// Progress while fuzzing: one rewritten line on a TTY, a plain line every few seconds otherwise (stderr).
/** What the line shows; a RunStats has it, and so does the sum of several workers' latest counts. */
export interface ProgressCounts {
  readonly runs: number;
  readonly steps: number;
  readonly distinctStates: number;
  readonly knownTotal: number;
}

export interface ProgressSink {
  run(stats: ProgressCounts, findings: number, elapsedMs: number): void;
  shrink(signature: string, attempts: number, commands: number): void;
  done(): void;
}

const PLAIN_EVERY_MS = 10_000;

function line(stats: ProgressCounts, findings: number, elapsedMs: number): string {
  const sps = elapsedMs > 0 ? Math.round((stats.steps * 1000) / elapsedMs) : 0;
  const known = stats.knownTotal;
  return `${(elapsedMs / 1000).toFixed(0)}s  runs ${stats.runs}  steps ${stats.steps}  ${sps} steps/s  states ${stats.distinctStates}  findings ${findings} new, ${known} known`;
}

export function progressSink(write: (s: string) => void, tty: boolean): ProgressSink {
  let lastPlain = 0;
  let lastTty = -Infinity;
  let open = false;
  return {
    run(stats, findings, elapsedMs) {
      if (tty) {
        // redraw at most ten times a second
        if (elapsedMs - lastTty < 100) return;
        lastTty = elapsedMs;
        write(`\r\x1b[K${line(stats, findings, elapsedMs)}`);
        open = true;
      } else if (elapsedMs - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = elapsedMs;
        write(`${line(stats, findings, elapsedMs)}\n`);
      }
    },
    shrink(signature, attempts, commands) {
      const text = `shrinking ${signature}: ${attempts} attempts, ${commands} commands left`;
      write(tty ? `\r\x1b[K${text}` : `${text}\n`);
      open = tty;
    },
    done() {
      if (open) write('\n');
      open = false;
    },
  };
}
