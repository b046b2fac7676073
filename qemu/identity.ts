// What a build is, asked of the build itself: QMP query-version (major.minor.micro and the package string).
// The identity is path-free, so fixtures and reports made on a build say which QEMU, not where it was.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isJsonObject } from '../qmp/json-value.ts';
import { isPeerLost } from '../qmp/types.ts';
import type { JsonValue } from '../qmp/types.ts';
import { daemonArgv, resolveBuild } from './build.ts';
import type { QemuBuild } from './build.ts';
import { openQemuTarget } from './target.ts';

const run = promisify(execFile);

export interface BuildIdentity {
  /** `major.minor.micro`, e.g. `10.0.2`: the key expectations are recorded under. */
  readonly version: string;
  /** The package string (`Debian 1:10.0.2+ds-2+deb13u1~bpo12+1`; empty for a plain source build). */
  readonly package: string;
}

/** A build that answered, with what it said it is. */
export interface ProbedBuild {
  readonly build: QemuBuild;
  readonly identity: BuildIdentity;
}

export type ProbeResult = { readonly ok: true; readonly probed: ProbedBuild } | { readonly ok: false; readonly message: string };

export function describeIdentity(id: BuildIdentity): string {
  return id.package === '' ? `QEMU ${id.version}` : `QEMU ${id.version} (${id.package})`;
}

/** The `return` of query-version as an identity; undefined when it is not shaped like one. */
export function identityOf(reply: JsonValue): BuildIdentity | undefined {
  if (!isJsonObject(reply) || !isJsonObject(reply['qemu'])) return undefined;
  const q = reply['qemu'];
  const parts = [q['major'], q['minor'], q['micro']];
  if (!parts.every((p) => typeof p === 'number' && Number.isSafeInteger(p))) return undefined;
  return { version: parts.join('.'), package: typeof reply['package'] === 'string' ? reply['package'].trim() : '' };
}

const PROBE_TIMEOUT_MS = 15_000;

/** Starts the daemon once (no images) and asks query-version; runs qemu-img --version. One sentence on failure. */
export async function probeBuild(build: QemuBuild): Promise<ProbeResult> {
  try {
    await run(build.img, ['--version'], { timeout: PROBE_TIMEOUT_MS });
  } catch (e) {
    return { ok: false, message: `${build.from}: ${build.img} does not run: ${firstLine(e)}` };
  }
  const opened = await openQemuTarget([], { argv: daemonArgv(build), img: build.img, timeoutMs: PROBE_TIMEOUT_MS });
  if (!opened.ok) return { ok: false, message: `${build.from}: ${build.daemon} does not start a QMP monitor: ${firstLine(opened.error.message)}` };
  const endpoint = opened.target.endpoint;
  try {
    const r = await endpoint.execute({ execute: 'query-version' });
    const identity = !isPeerLost(r) && 'return' in r ? identityOf(r.return) : undefined;
    if (!identity) return { ok: false, message: `${build.from}: ${build.daemon} gave no version to query-version` };
    return { ok: true, probed: { build, identity } };
  } finally {
    await endpoint.close();
  }
}

/** Resolves `--qemu` (or $BGCHECK_QEMU, or PATH) and probes it: what every command that runs QEMU does first. */
export async function chooseBuild(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProbeResult> {
  const r = resolveBuild(option, env);
  return r.ok ? probeBuild(r.build) : r;
}

function firstLine(e: unknown): string {
  const stderr = typeof e === 'object' && e !== null && 'stderr' in e && typeof e.stderr === 'string' ? e.stderr.trim() : '';
  const text = stderr !== '' ? stderr : e instanceof Error ? e.message : String(e);
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim();
}
