// Creates a scenario's images with qemu-img, exactly as ../shared/tools/qmprun.py does (argument arrays, no shell).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isZeroWrite, type ImageSpec } from '../qmp/image-spec.ts';
import { UnsafeCommandError, imageProblems } from './sandbox/check-scenario.ts';
import { sandboxedArgv } from './sandbox/launcher.ts';
import { siblingTool } from './tools.ts';

const run = promisify(execFile);

export type CreateImagesResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: { readonly code: 'image-create-failed'; readonly filename: string; readonly message: string } };

/** `qemu-img create -q -f FMT [-b B -F BFMT] [-o cluster_size=N] FILE SIZE`; backing_fmt defaults to qcow2. */
export function qemuImgCreateArgs(spec: ImageSpec, unopenedBacking = false): string[] {
  const args = ['create', '-q', '-f', spec.format];
  if (spec.backing) args.push(...(unopenedBacking ? ['-u'] : []), '-b', spec.backing, '-F', spec.backing_fmt ?? 'qcow2');
  if (spec.cluster_size) args.push('-o', `cluster_size=${spec.cluster_size}`);
  args.push(spec.filename, String(spec.size));
  return args;
}

/** `qemu-io -f FMT -c 'write -P 0xNN OFF LEN' -c 'write -z OFF LEN' … FILE`: the spec's writes, in order; none: null. */
export function qemuIoWriteArgs(spec: ImageSpec): string[] | null {
  const writes = spec.writes ?? [];
  if (writes.length === 0) return null;
  const cmds = writes.flatMap((w) => ['-c', isZeroWrite(w) ? `write -z ${w.offset} ${w.length}` : `write -P 0x${w.pattern.toString(16)} ${w.offset} ${w.length}`]);
  return ['-f', spec.format, ...cmds, spec.filename];
}

/**
 * One qemu-io for every image's writes, in the specs' order: `open -o driver=FMT FILE` (the image with its backing
 * chain, as `qemu-io -f FMT FILE` opens it), its writes, `close`. One process instead of one an image: each start
 * costs about 0.2 s on the loaded 2-core machine, and a generated run has four images with data on average.
 */
export function qemuIoBatchArgs(specs: readonly ImageSpec[]): string[] | null {
  const cmds = specs.flatMap((spec) => {
    const io = qemuIoWriteArgs(spec);
    return io ? ['-c', `open -o driver=${spec.format} ${spec.filename}`, ...io.slice(2, -1), '-c', 'close'] : [];
  });
  return cmds.length > 0 ? cmds : null;
}

const stderrOf = (e: unknown): string => (typeof e === 'object' && e !== null && 'stderr' in e && typeof e.stderr === 'string' ? e.stderr.trim() : '');
const stdoutOf = (e: unknown): string => (typeof e === 'object' && e !== null && 'stdout' in e && typeof e.stdout === 'string' ? e.stdout : '');

/** The image whose writes qemu-io did not all confirm (`wrote N/N bytes` a write, in order). */
function failedImage(specs: readonly ImageSpec[], stdout: string): ImageSpec | undefined {
  let confirmed = (stdout.match(/^wrote /gm) ?? []).length;
  const withWrites = specs.filter((s) => (s.writes ?? []).length > 0);
  for (const s of withWrites) {
    confirmed -= (s.writes ?? []).length;
    if (confirmed < 0) return s;
  }
  return withWrites[withWrites.length - 1];
}

/**
 * Overlays whose backing file is an earlier spec of the format they name: qemu-img writes the same header without
 * opening it (-u; the size is the spec's), so such an overlay is made in the same round as its backing.
 */
export function unopenedBackings(specs: readonly ImageSpec[]): ReadonlySet<ImageSpec> {
  const earlier = new Map<string, ImageSpec>();
  const out = new Set<ImageSpec>();
  for (const spec of specs) {
    const backing = spec.backing !== undefined ? earlier.get(spec.backing) : undefined;
    if (backing !== undefined && backing.format === (spec.backing_fmt ?? 'qcow2')) out.add(spec);
    earlier.set(spec.filename, spec);
  }
  return out;
}

/** The specs in rounds: an image comes one round after its backing file when that is one of the specs, in order,
 * and qemu-img must open it. */
export function creationLevels(specs: readonly ImageSpec[], unopened = unopenedBackings(specs)): ImageSpec[][] {
  const level = new Map<string, number>();
  const rounds: ImageSpec[][] = [];
  for (const spec of specs) {
    const below = spec.backing !== undefined && !unopened.has(spec) ? level.get(spec.backing) : undefined;
    const at = below === undefined ? 0 : below + 1;
    level.set(spec.filename, at);
    (rounds[at] ??= []).push(spec);
  }
  return rounds;
}

/** Creates the images in order (a backing file must exist before its overlay) inside dir with `img` (qemu-img), then
 * writes their data, in the same order, with the qemu-io beside it. */
export async function createImages(dir: string, specs: readonly ImageSpec[], img = 'qemu-img'): Promise<CreateImagesResult> {
  const failed = (filename: string, e: unknown): CreateImagesResult => {
    const message = stderrOf(e) !== '' ? stderrOf(e) : e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: 'image-create-failed', filename, message } };
  };
  for (const spec of specs) {
    const unsafe = imageProblems(spec)[0];
    if (unsafe !== undefined) throw new UnsafeCommandError(`image ${spec.filename}: ${unsafe.at}: ${unsafe.message}`);
  }
  // images whose backing file is made (or is none of ours) are made together: each qemu-img start costs ~0.2 s
  const unopened = unopenedBackings(specs);
  for (const level of creationLevels(specs, unopened)) {
    const made = await Promise.all(
      level.map(async (spec) => {
        const [cmd, ...args] = sandboxedArgv([img, ...qemuImgCreateArgs(spec, unopened.has(spec))], dir);
        return run(cmd ?? img, args, { cwd: dir, timeout: 60_000 }).then(
          () => undefined,
          (e: unknown) => failed(spec.filename, e),
        );
      }),
    );
    const bad = made.find((m) => m !== undefined);
    if (bad) return bad;
  }
  const io = qemuIoBatchArgs(specs);
  if (!io) return { ok: true };
  const [ioCmd, ...ioArgs] = sandboxedArgv([siblingTool(img, 'qemu-io'), ...io], dir);
  try {
    const r = await run(ioCmd ?? 'qemu-io', ioArgs, { cwd: dir, timeout: 60_000 });
    // qemu-io goes on after a failed command (exiting 1 at the end); a write it did not confirm failed all the same
    const bad = failedImage(specs, r.stdout);
    const expected = specs.reduce((n, s) => n + (s.writes ?? []).length, 0);
    if ((r.stdout.match(/^wrote /gm) ?? []).length < expected && bad) return failed(bad.filename, new Error(r.stderr.trim() || 'qemu-io did not confirm every write'));
  } catch (e) {
    return failed(failedImage(specs, stdoutOf(e))?.filename ?? specs[0]?.filename ?? '', e);
  }
  return { ok: true };
}
