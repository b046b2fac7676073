// A scenario's image, as `qemu-img create` is asked for it (../shared/scenario-format.md), and what is written into it.

/**
 * A write made at creation, in list order, with qemu-io on the new image (its backing chain open):
 * `write -P pattern offset length` (data), or `write -z offset length` (zeroes; qcow2 only, whole clusters).
 */
export type ImageWrite =
  | { readonly offset: number; readonly length: number; readonly pattern: number }
  | { readonly offset: number; readonly length: number; readonly zero: true };

export interface ImageSpec {
  readonly filename: string;
  readonly format: 'qcow2' | 'raw';
  readonly size: number;
  readonly backing?: string;
  readonly backing_fmt?: string;
  readonly cluster_size?: number;
  /** Data layouts: which ranges hold data (a pattern byte) and which are zero; absent: a fresh, empty image. */
  readonly writes?: readonly ImageWrite[];
}

export function isZeroWrite(w: ImageWrite): w is Extract<ImageWrite, { zero: true }> {
  return 'zero' in w;
}
