// QEMU's programs beside each other: a build's qemu-io and qemu-img live in the directory its qemu-img is in.
import { basename, dirname, join } from 'node:path';

/** The program `name` of the build whose qemu-img is `img` (a bare name stays a bare name, found on PATH). */
export function siblingTool(img: string, name: 'qemu-io' | 'qemu-img'): string {
  return img === basename(img) ? name : join(dirname(img), name);
}
