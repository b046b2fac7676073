// Real QEMU as a QmpEndpoint: a private dir with the scenario's images and a qemu-storage-daemon in it.
import type { ImageSpec } from '../qmp/image-spec.ts';
import type { QmpCommand, QmpEndpoint, QmpOutcome } from '../qmp/types.ts';
import { QmpClient, type ClientOptions } from './client.ts';
import { makeWorkDir, spawnDaemon } from './daemon.ts';
import { createImages } from './images.ts';
import { Observer } from './observe.ts';
import { UnsafeCommandError, commandProblems } from './sandbox/check-scenario.ts';
import type { SafetyOptions } from './sandbox/check-scenario.ts';
import type { ToolHost } from './tool-host.ts';

export interface QemuTarget {
  /** close() quits the daemon (killing it if need be) and removes the work dir. */
  readonly endpoint: QmpEndpoint;
  readonly workDir: string;
}

export interface TargetOptions extends ClientOptions, SafetyOptions {
  /** The daemon command line; tests substitute a fake peer. */
  readonly argv?: readonly string[];
  /** The qemu-img program that creates the images and reads observations (default: qemu-img on PATH). */
  readonly img?: string;
  /** Runs the tools (helpers, kept images); without one they are started from this process, and nothing is kept. */
  readonly host?: ToolHost;
}

export type OpenTargetResult =
  | { readonly ok: true; readonly target: QemuTarget }
  | { readonly ok: false; readonly error: OpenTargetError };

export type OpenTargetError =
  | { readonly code: 'image-create-failed'; readonly filename: string; readonly message: string }
  | { readonly code: 'qemu-start-failed'; readonly message: string; readonly stderr: string };

/** Creates the images (as qemu-img would), starts the daemon there and negotiates QMP. */
export async function openQemuTarget(images: readonly ImageSpec[], opts: TargetOptions = {}): Promise<OpenTargetResult> {
  const dir = await makeWorkDir();
  // the daemon opens nothing before blockdev-add: it starts while qemu-img makes the images
  const daemon = spawnDaemon(dir, opts.argv);
  const connecting = QmpClient.connect(daemon, opts);
  const made = await createImages(dir.path, images, opts.img, opts.host).catch(async (e: unknown) => {
    // an unsafe image spec (a bug of the caller's checks): no daemon left behind
    await daemon.dispose();
    await connecting;
    throw e;
  });
  const conn = await connecting;
  if (!made.ok) {
    if (conn.ok) await conn.client.close();
    await daemon.dispose();
    return { ok: false, error: made.error };
  }
  if (!conn.ok) {
    const exit = await daemon.exited;
    await daemon.dispose();
    const message = exit.spawnError !== undefined ? `cannot start ${opts.argv?.[0] ?? 'qemu-storage-daemon'}: ${exit.spawnError}` : conn.error.message;
    return { ok: false, error: { code: 'qemu-start-failed', message, stderr: conn.error.stderr } };
  }
  const client = conn.client;
  // observation steps (qmp/observation.ts) are answered here, through an NBD export of the node
  const observer = new Observer((cmd) => client.execute(cmd), dir.path, opts.img ?? 'qemu-img', opts.host?.spawners);
  let inFlight = 0;
  const execute = async (cmd: QmpCommand): Promise<QmpOutcome> => {
    const observed = await observer.observe(cmd);
    if (observed) return observed;
    // callers check whole scenarios first (checkScenarioForQemu); this is the last line before QEMU
    const unsafe = commandProblems(cmd, opts)[0];
    if (unsafe !== undefined) throw new UnsafeCommandError(`${cmd.execute}: ${unsafe.at}: ${unsafe.message}`);
    const reply = await client.execute(cmd);
    observer.seen(cmd, reply);
    return reply;
  };
  const endpoint: QmpEndpoint = {
    execute: async (cmd) => {
      inFlight++;
      try {
        return await execute(cmd);
      } finally {
        inFlight--;
      }
    },
    drainEvents: () => client.drainEvents(),
    close: () => {
      observer.cancel();
      // closed while a command (an observation's read) still runs: the run was given up, nothing waits for a quit
      return client.close(inFlight > 0);
    },
  };
  return { ok: true, target: { endpoint, workDir: dir.path } };
}
