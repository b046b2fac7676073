// Which QEMU runs: `--qemu PATH`, else $BGCHECK_QEMU, else PATH. A build is its two programs, found by path only;
// what it is (its version) comes from asking it (qemu/identity.ts).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export interface QemuBuild {
  /** The qemu-storage-daemon program (absolute, or a bare name looked up on PATH). */
  readonly daemon: string;
  readonly img: string;
  /** Where it came from, for messages: `--qemu /opt/x`, `BGCHECK_QEMU=/opt/x`, `PATH`. */
  readonly from: string;
}

export type ResolveBuildResult = { readonly ok: true; readonly build: QemuBuild } | { readonly ok: false; readonly message: string };

const DAEMON = 'qemu-storage-daemon';
const IMG = 'qemu-img';

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The daemon and qemu-img inside `dir`: a bin directory, or a meson build directory (storage-daemon/ beside qemu-img). */
function inDirectory(dir: string): { daemon: string; img: string } | undefined {
  const img = join(dir, IMG);
  for (const daemon of [join(dir, DAEMON), join(dir, 'storage-daemon', DAEMON)]) {
    if (isExecutable(daemon) && isExecutable(img)) return { daemon, img };
  }
  return undefined;
}

/** The daemon given by path: qemu-img beside it, or at the top of the meson build directory it sits in. */
function besideDaemon(daemon: string): { daemon: string; img: string } | undefined {
  const here = dirname(daemon);
  const img = [join(here, IMG), join(dirname(here), IMG)].find(isExecutable);
  return img === undefined ? undefined : { daemon, img };
}

/** A directory or the daemon program; one sentence saying what is missing otherwise. */
export function resolveBuildPath(path: string, from: string): ResolveBuildResult {
  const abs = resolve(path);
  if (isDirectory(abs)) {
    const found = inDirectory(abs);
    if (found) return { ok: true, build: { ...found, from } };
    return { ok: false, message: `${from}: ${abs} holds no ${DAEMON} and ${IMG} (looked in it and in its storage-daemon/)` };
  }
  if (!isExecutable(abs)) return { ok: false, message: `${from}: ${abs} is neither a directory nor an executable program` };
  const found = besideDaemon(abs);
  if (found) return { ok: true, build: { ...found, from } };
  return { ok: false, message: `${from}: no ${IMG} beside ${abs} (nor in ${dirname(dirname(abs))})` };
}

/** The first directory on PATH holding the program, if any. */
export function onPath(program: string, path: string = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, program);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** `--qemu` if given, else $BGCHECK_QEMU, else both programs on PATH. */
export function resolveBuild(option: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolveBuildResult {
  if (option !== undefined) return resolveBuildPath(option, `--qemu ${option}`);
  const fromEnv = env['BGCHECK_QEMU'];
  if (fromEnv !== undefined && fromEnv !== '') return resolveBuildPath(fromEnv, `BGCHECK_QEMU=${fromEnv}`);
  const daemon = onPath(DAEMON, env['PATH']);
  const img = onPath(IMG, env['PATH']);
  if (daemon && img) return { ok: true, build: { daemon, img, from: 'PATH' } };
  return {
    ok: false,
    message: `no QEMU: ${daemon ? IMG : DAEMON} is not on PATH; give --qemu DIR (a bin or build directory) or set BGCHECK_QEMU (apt-get install qemu-system-common qemu-utils)`,
  };
}

/** The daemon's command line with its QMP monitor on stdio. */
export function daemonArgv(build: QemuBuild): readonly string[] {
  return [build.daemon, '--chardev', 'stdio,id=c', '--monitor', 'chardev=c'];
}
