// Runs numbered tasks on N concurrent workers (N daemons at once), in order of their numbers, until `more` says stop.
// One process, so the workers share one progress line and one fixture store without locks.

export interface PoolControl {
  /** Stops every worker after its current task (a problem that would repeat on every run). */
  stop(): void;
}

export async function runPool(jobs: number, more: (n: number) => boolean, task: (n: number, control: PoolControl) => Promise<void>): Promise<void> {
  let next = 0;
  let stopped = false;
  const control: PoolControl = {
    stop: () => {
      stopped = true;
    },
  };
  const worker = async (): Promise<void> => {
    while (!stopped && more(next)) await task(next++, control);
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
}
