// The targets seen through QMP alone: a QEMU build (one fresh daemon per sequence), and the impl behind its own
// monitor, the emulated 7.2 build (triage's reference, the shrinker's fast pre-filter).
import { parseBehaviour } from '../../impl/behaviour.ts';
import { ImplEndpoint } from '../../impl/impl-endpoint.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import { daemonArgv } from '../../qemu/build.ts';
import { describeIdentity } from '../../qemu/identity.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import type { SafetyOptions } from '../../qemu/sandbox/check-scenario.ts';
import { openQemuTarget } from '../../qemu/target.ts';
import type { ToolHost } from '../../qemu/tool-host.ts';
import { EndpointTarget } from './endpoint-target.ts';

/** How long a build gets to answer one command before it counts as hung. */
export const DEFAULT_HANG_MS = 10_000;

/** How long a daemon gets to greet: starting one on a loaded machine is slow, and that is no hang. */
const START_MS = 30_000;

export interface BuildTargetOptions {
  readonly hangMs?: number;
  /** What the argument check lets through (--allow-unknown-commands). */
  readonly safety?: SafetyOptions;
  /** Runs QEMU's tools for every sequence (its owner closes it); without one each tool is started from here. */
  readonly host?: ToolHost;
}

/** A target that starts a fresh daemon of `p` in a private dir for every sequence. */
export function buildTarget(p: ProbedBuild, opts: BuildTargetOptions = {}): EndpointTarget {
  const hangMs = opts.hangMs ?? DEFAULT_HANG_MS;
  return new EndpointTarget({
    name: 'qemu',
    identity: describeIdentity(p.identity),
    hangMs,
    open: async (images, variant) => {
      if (variant.quirks.length > 0 || variant.fixes.length > 0) {
        return { ok: false, error: { code: 'unsupported-variant', message: `${describeIdentity(p.identity)} is what it is: no quirks or fixes to switch` } };
      }
      const opened = await openQemuTarget(images, { argv: daemonArgv(p.build), img: p.build.img, timeoutMs: hangMs, startTimeoutMs: START_MS, ...opts.safety, ...(opts.host ? { host: opts.host } : {}) });
      return opened.ok ? { ok: true, endpoint: opened.target.endpoint } : { ok: false, error: { code: 'start-failed', message: opened.error.message } };
    },
  });
}

/** The impl as QEMU 7.2 as observed, behind its QMP monitor: what a 7.2 build shows, without a daemon. */
export function implAsBuild(): EndpointTarget {
  return new EndpointTarget({
    name: 'impl',
    hangMs: 0,
    open: (images, variant) => {
      const b = parseBehaviour(variant.quirks, variant.fixes);
      if (!b.ok) return Promise.resolve({ ok: false, error: { code: 'unsupported-variant', message: `the impl has no ${b.message}` } });
      return Promise.resolve({ ok: true, endpoint: new ImplEndpoint(MemoryImageStore.fromSpecs(images), b.value) });
    },
  });
}
