// Creates a scenario's images with qemu-img, exactly as ../shared/tools/qmprun.py does (argument arrays, no shell).
import { isZeroWrite, type ImageSpec } from '../qmp/image-spec.ts';
import { isCacheable, writeCachedImage } from './image-cache.ts';
import { UnsafeCommandError, imageProblems } from './sandbox/check-scenario.ts';
import { sandboxedScript, shellQuote } from './sandbox/launcher.ts';
import { runTool } from './sandbox/spawner.ts';
import type { ToolHost } from './tool-host.ts';
import { siblingTool } from './tools.ts';

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

const stderrOf = (e: unknown): string => (typeof e === 'object' && e !== null && 'stderr' in e && typeof e.stderr === 'string' ? e.stderr : '');
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

const IMAGE_MARK = 'bgcheck-image';
const IO_MARK = 'bgcheck-io';

/** Writes the specs qemu-img makes from their arguments alone from the host's cache (image-cache.ts): those
 * written. Backing files come before their overlays all the same: the rest are made after these. */
async function writeKept(dir: string, specs: readonly ImageSpec[], unopened: ReadonlySet<ImageSpec>, img: string, host: ToolHost | undefined): Promise<ReadonlySet<ImageSpec>> {
  if (host === undefined) return new Set();
  const kept = await Promise.all(
    specs.map(async (spec) => (isCacheable(spec, unopened) ? await host.images.image(img, (file) => qemuImgCreateArgs({ ...spec, filename: file }, unopened.has(spec))) : undefined)),
  );
  const written = new Set<ImageSpec>();
  for (const [i, spec] of specs.entries()) {
    const image = kept[i];
    // a name given twice is qemu-img's to refuse (or overwrite) as before; an earlier spec backed by this one must
    // find it missing (made before it, as qmprun.py makes it)
    const clash = specs.some((o, j) => (j !== i && o.filename === spec.filename) || (j < i && o.backing === spec.filename));
    if (image === undefined || clash) continue;
    await writeCachedImage(dir, spec.filename, image);
    written.add(spec);
  }
  return written;
}

/** Where a round's qemu-img outputs go until it ends: dot files in the run dir no image of the scenario is named. */
function outputNames(specs: readonly ImageSpec[]): (i: number) => string {
  let prefix = '.bgcheck-image-';
  while (specs.some((s) => s.filename.startsWith(prefix))) prefix += 'x-';
  return (i) => `${prefix}${i}.out`;
}

/**
 * One round's qemu-img runs at once (as they did from node), each to its own output file; then, in order, the first
 * that failed prints its mark and output and ends the script, else the outputs go.
 */
function roundScript(round: readonly { readonly i: number; readonly create: string }[], output: (i: number) => string): string {
  const out = (i: number): string => shellQuote(output(i));
  const all = round.map(({ i }) => out(i)).join(' ');
  return [
    ...round.map(({ i, create }) => `${create} >${out(i)} 2>&1 & p${i}=$!`),
    ...round.map(({ i }) => `wait $p${i}; s${i}=$?`),
    ...round.map(({ i }) => `if [ $s${i} -ne 0 ]; then printf '\\n${IMAGE_MARK} %d\\n' ${i}; cat ${out(i)}; rm -f ${all}; exit 1; fi`),
    `rm -f ${all}`,
  ].join('\n');
}

/** What the script printed after each mark: an image's qemu-img output (its stderr), then qemu-io's stdout. */
function sections(stdout: string): { readonly last?: number | 'io'; readonly text: string; readonly io: string | undefined } {
  const parts = `\n${stdout}`.split(new RegExp(`\n(${IMAGE_MARK} \\d+|${IO_MARK})\n`));
  const mark = parts[parts.length - 2];
  const text = parts[parts.length - 1] ?? '';
  if (mark === undefined) return { text, io: undefined };
  return mark === IO_MARK ? { last: 'io', text, io: text } : { last: Number(mark.slice(IMAGE_MARK.length + 1)), text, io: undefined };
}

/**
 * Creates the images in order (a backing file before its overlay: the rounds of creationLevels, one after another)
 * inside dir with `img` (qemu-img), then writes their data, in the same order, with the qemu-io beside it: one
 * sandboxed shell runs them all (a start costs a fork and a sandbox, 5-8 of them a sequence), marking on stdout
 * which one failed, so a failure names its image as before.
 */
export async function createImages(dir: string, specs: readonly ImageSpec[], img = 'qemu-img', host?: ToolHost): Promise<CreateImagesResult> {
  const failed = (filename: string, stderr: string, e: unknown): CreateImagesResult => {
    const message = stderr.trim() !== '' ? stderr.trim() : e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: 'image-create-failed', filename, message } };
  };
  for (const spec of specs) {
    const unsafe = imageProblems(spec)[0];
    if (unsafe !== undefined) throw new UnsafeCommandError(`image ${spec.filename}: ${unsafe.at}: ${unsafe.message}`);
  }
  const unopened = unopenedBackings(specs);
  const made = await writeKept(dir, specs, unopened, img, host);
  const levels = creationLevels(specs, unopened)
    .map((level) => level.filter((spec) => !made.has(spec)))
    .filter((level) => level.length > 0);
  const order = levels.flat();
  const io = qemuIoBatchArgs(specs);
  if (order.length === 0 && !io) return { ok: true };
  const outputs = outputNames(specs);
  const argv = sandboxedScript((line) => {
    let i = 0;
    const rounds = levels.map((level) => roundScript(level.map((spec) => ({ i: i++, create: line([img, ...qemuImgCreateArgs(spec, unopened.has(spec))]) })), outputs));
    return [...rounds, ...(io ? [`printf '\\n${IO_MARK}\\n'`, `exec ${line([siblingTool(img, 'qemu-io'), ...io])}`] : [])].join('\n');
  }, dir);
  const [cmd, ...args] = argv;
  // each program gets the minute it had alone
  const timeout = 60_000 * (order.length + (io ? 1 : 0));
  const expected = specs.reduce((n, s) => n + (s.writes ?? []).length, 0);
  try {
    const r = await runTool(cmd ?? 'sh', args, { cwd: dir, timeout }, host?.spawners);
    const out = sections(r.stdout).io ?? '';
    // qemu-io goes on after a failed command (exiting 1 at the end); a write it did not confirm failed all the same
    const bad = failedImage(specs, out);
    if ((out.match(/^wrote /gm) ?? []).length < expected && bad) return failed(bad.filename, r.stderr, new Error('qemu-io did not confirm every write'));
  } catch (e) {
    const s = sections(stdoutOf(e));
    // qemu-io says what failed on stdout
    if (s.last === 'io') return failed(failedImage(specs, s.text)?.filename ?? specs[0]?.filename ?? '', stderrOf(e).trim() || s.text, e);
    const spec = s.last === undefined ? order[0] : order[s.last];
    return failed(spec?.filename ?? '', s.last === undefined ? stderrOf(e) : s.text, e);
  }
  return { ok: true };
}
