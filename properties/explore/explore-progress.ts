// Progress while exploring (stderr): one rewritten line on a TTY, otherwise a line every few seconds and one per depth.
import type { SearchProgress } from './search.ts';

export interface ExploreProgressSink {
  batch(p: SearchProgress): void;
  done(): void;
}

const PLAIN_EVERY_MS = 10_000;

export function progressLine(p: SearchProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.transitions * 1000) / p.elapsedMs) : 0;
  const where = p.finished ? `depth ${p.depth} done (${p.of} states expanded)` : `depth ${p.depth}  frontier ${p.done}/${p.of}`;
  return `${(p.elapsedMs / 1000).toFixed(0)}s  ${where}  distinct states ${p.distinct}  transitions ${p.transitions}  ${rate} states/s  new findings ${p.findings}`;
}

export function exploreProgress(write: (s: string) => void, tty: boolean): ExploreProgressSink {
  let lastPlain = 0;
  let lastTty = -Infinity;
  let open = false;
  return {
    batch(p) {
      const depthDone = p.finished;
      if (tty) {
        if (!depthDone && p.elapsedMs - lastTty < 100) return;
        lastTty = p.elapsedMs;
        write(`\r\x1b[K${progressLine(p)}`);
        open = true;
      } else if (depthDone || p.elapsedMs - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = p.elapsedMs;
        write(`${progressLine(p)}\n`);
      }
    },
    done() {
      if (open) write('\n');
      open = false;
    },
  };
}
