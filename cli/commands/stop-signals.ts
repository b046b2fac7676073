// SIGINT, SIGTERM, SIGHUP as a request to stop: the campaign ends at its next step, stores what it found, prints its
// summary and exits 128+N; the same signal again exits at once (every file write is atomic, so nothing is torn).
import { constants } from 'node:os';

export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StopRequest {
  /** The first signal received, if any. */
  readonly signal: () => NodeJS.Signals | undefined;
  /** 128 + the signal's number: what the shell reports for a process a signal ended. */
  readonly exitCode: () => number | undefined;
  /** Puts the default behaviour back. */
  dispose(): void;
}

export function exitCodeFor(sig: NodeJS.Signals): number {
  return 128 + (constants.signals[sig] ?? 0);
}

export function catchStopSignals(say: (line: string) => void, exitNow: (code: number) => void = (c) => process.exit(c)): StopRequest {
  let first: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals): void => {
    if (first !== undefined) return exitNow(exitCodeFor(sig));
    first = sig;
    say(`${sig}: stopping after this step, storing what was found (${sig} again stops at once)`);
  };
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return {
    signal: () => first,
    exitCode: () => (first === undefined ? undefined : exitCodeFor(first)),
    dispose: () => {
      for (const s of STOP_SIGNALS) process.off(s, handler);
    },
  };
}
