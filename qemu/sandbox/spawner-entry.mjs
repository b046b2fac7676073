// The spawner (qemu/sandbox/spawner.ts): a small node process that runs QEMU's tools for the big one, which then
// never forks itself (a fork of it blocks its event loop 5-40 ms). Plain JavaScript: it starts without tsx or the bundle.
// Protocol, one JSON object a line: in {id, file, args, cwd, timeout, maxBuffer, killSignal} or {cancel: id} (tools get our
// environment, the one we were started with);
// out {id, stdout, stderr, error?: {message, code, signal, killed}}. Our stdin's end (the parent died or closed it)
// kills every child still running and ends us: their sandbox (bwrap --die-with-parent, setpriv) then goes with them.
import { execFile } from 'node:child_process';
import { createInterface } from 'node:readline';

const running = new Map();

function reply(msg) {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

function start(req) {
  const child = execFile(
    req.file,
    req.args,
    { cwd: req.cwd, timeout: req.timeout, maxBuffer: req.maxBuffer, killSignal: req.killSignal, encoding: 'utf8' },
    (err, stdout, stderr) => {
      running.delete(req.id);
      const error = err ? { message: err.message, code: err.code ?? null, signal: err.signal ?? null, killed: err.killed === true } : undefined;
      reply({ id: req.id, stdout, stderr, ...(error ? { error } : {}) });
    },
  );
  running.set(req.id, { child, killSignal: req.killSignal });
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  const msg = JSON.parse(line);
  if (typeof msg.cancel === 'number') {
    const r = running.get(msg.cancel);
    if (r) r.child.kill(r.killSignal ?? 'SIGTERM');
    return;
  }
  start(msg);
});
function endAll() {
  for (const { child } of running.values()) child.kill('SIGKILL');
  process.exit(0);
}
lines.on('close', endAll);
// our parent's exit asks us to end (its 'exit' handler): what we run goes with us
process.on('SIGTERM', endAll);
