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
export function qemuImgCreateArgs(spec: ImageSpec): string[] {
  const args = ['create', '-q', '-f', spec.format];
  if (spec.backing) args.push('-b', spec.backing, '-F', spec.backing_fmt ?? 'qcow2');
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

/** Creates the images in order (a backing file must exist before its overlay) inside dir with `img` (qemu-img), then
 * writes their data with the qemu-io beside it. */
export async function createImages(dir: string, specs: readonly ImageSpec[], img = 'qemu-img'): Promise<CreateImagesResult> {
  for (const spec of specs) {
    const unsafe = imageProblems(spec)[0];
    if (unsafe !== undefined) throw new UnsafeCommandError(`image ${spec.filename}: ${unsafe.at}: ${unsafe.message}`);
    const [cmd, ...args] = sandboxedArgv([img, ...qemuImgCreateArgs(spec)], dir);
    try {
      await run(cmd ?? img, args, { cwd: dir, timeout: 60_000 });
      const io = qemuIoWriteArgs(spec);
      if (io) {
        const [ioCmd, ...ioArgs] = sandboxedArgv([siblingTool(img, 'qemu-io'), ...io], dir);
        await run(ioCmd ?? 'qemu-io', ioArgs, { cwd: dir, timeout: 60_000 });
      }
    } catch (e) {
      const stderr = typeof e === 'object' && e !== null && 'stderr' in e && typeof e.stderr === 'string' ? e.stderr.trim() : '';
      const message = stderr !== '' ? stderr : e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'image-create-failed', filename: spec.filename, message } };
    }
  }
  return { ok: true };
}
