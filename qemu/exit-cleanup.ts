// Synchronous last-chance cleanups so no daemon or temp dir outlives this process, even on Ctrl-C.

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function runAll(): void {
  for (const c of [...cleanups]) {
    cleanups.delete(c);
    try {
      c();
    } catch {
      // exiting anyway: one failed cleanup must not stop the others
    }
  }
}

function onSignal(sig: NodeJS.Signals): void {
  // someone else handles this signal (a campaign that stops cleanly): its exit runs the cleanups
  if (process.listenerCount(sig) > 1) return;
  runAll();
  uninstall();
  // re-raise so the default action (or another handler) still ends the process
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

let installed = false;

// handlers are installed only while something needs cleaning, so idle imports do not change signal behaviour
function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', runAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Registers a synchronous cleanup run at exit or on a terminating signal; returns its unregister function. */
export function onProcessExit(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  install();
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) uninstall();
  };
}
