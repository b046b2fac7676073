// Runs QEMU's programs so that only their private directory is writable and they die with this process:
// bubblewrap where it works (a mount namespace, read-only root, --die-with-parent), else a parent-death signal.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SandboxMode =
  | { readonly kind: 'bwrap' }
  /** No filesystem sandbox: the argument check alone keeps QEMU in its directory; `setpriv` still ties it to us. */
  | { readonly kind: 'unconfined'; readonly reason: string; readonly pdeathsig: boolean };

/** The mount namespace: everything read-only, a fresh /dev and /proc, the run's directory writable, no network. */
function bwrapArgs(dir: string): string[] {
  return [
    '--die-with-parent', '--new-session', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net',
    '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--bind', dir, dir, '--chdir', dir, '--',
  ];
}

function runs(argv: readonly string[]): string | undefined {
  const [cmd, ...args] = argv;
  try {
    execFileSync(cmd ?? 'false', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    return undefined;
  } catch (e) {
    const stderr = typeof e === 'object' && e !== null && 'stderr' in e && Buffer.isBuffer(e.stderr) ? e.stderr.toString('utf8').trim() : '';
    return stderr.split('\n')[0] || (e instanceof Error ? e.message : String(e));
  }
}

/** Measures once whether bwrap can build the sandbox here (user namespaces may be off, bwrap missing). */
export function probeSandbox(env: NodeJS.ProcessEnv = process.env): SandboxMode {
  const pdeathsig = runs(['setpriv', '--pdeathsig', 'KILL', '--', 'true']) === undefined;
  if (env['BGCHECK_SANDBOX'] === 'off') return { kind: 'unconfined', reason: 'BGCHECK_SANDBOX=off', pdeathsig };
  const dir = mkdtempSync(join(tmpdir(), 'bgcheck-probe-'));
  try {
    const why = runs(['bwrap', ...bwrapArgs(dir), 'true']);
    return why === undefined ? { kind: 'bwrap' } : { kind: 'unconfined', reason: `bwrap: ${why}`, pdeathsig };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const probed: { mode?: SandboxMode; warned?: boolean } = {};

export function sandboxMode(): SandboxMode {
  probed.mode ??= probeSandbox();
  return probed.mode;
}

/** The command line that runs `argv` inside `dir`'s sandbox; one warning on stderr when there is no sandbox. */
export function sandboxedArgv(argv: readonly string[], dir: string, mode: SandboxMode = sandboxMode()): readonly string[] {
  if (mode.kind === 'bwrap') return ['bwrap', ...bwrapArgs(dir), ...argv];
  if (probed.warned !== true) {
    probed.warned = true;
    process.stderr.write(`bgcheck: warning: QEMU runs without a filesystem sandbox (${mode.reason}); only the argument check keeps it in its directory\n`);
  }
  return mode.pdeathsig ? ['setpriv', '--pdeathsig', 'KILL', '--', ...argv] : argv;
}

/** One shell word: single-quoted, so the shell hands the program exactly this argument. */
export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * `sh -c SCRIPT` in `dir`'s sandbox, for several programs in one start (each start forks and builds a sandbox):
 * `build` writes the script, quoting each program's command line with `line`. Under bwrap they all share the one
 * sandbox; unconfined, each is tied to the shell as the shell is tied to us.
 */
export function sandboxedScript(build: (line: (argv: readonly string[]) => string) => string, dir: string, mode: SandboxMode = sandboxMode()): readonly string[] {
  const tie = mode.kind === 'unconfined' && mode.pdeathsig ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
  return sandboxedArgv(['sh', '-c', build((argv) => [...tie, ...argv].map(shellQuote).join(' '))], dir, mode);
}
