// Progress through a long replay on stderr: one redrawn line on a TTY, a line every few seconds otherwise.

export interface StepProgress {
  readonly step: (p: { readonly run: number; readonly step: number; readonly total: number }) => void;
  done(): void;
}

const QUIET_MS = 2000;
const PLAIN_EVERY_MS = 10_000;

/** Silent for the first two seconds: short replays print nothing. */
export function stepProgress(write: (s: string) => void, tty: boolean, name: string, now: () => number = () => performance.now()): StepProgress {
  const start = now();
  // the first line comes as soon as the quiet time is over
  let last = -Infinity;
  let open = false;
  return {
    step: ({ run, step, total }) => {
      const t = now();
      if (t - start < QUIET_MS || t - last < (tty ? 100 : PLAIN_EVERY_MS)) return;
      last = t;
      const line = `${name}: run ${run + 1}, step ${step + 1}/${total}, ${((t - start) / 1000).toFixed(0)} s`;
      write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      open = tty;
    },
    done: () => {
      if (open) write('\n');
      open = false;
    },
  };
}
