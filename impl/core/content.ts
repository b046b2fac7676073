// What a read returns, as far as a quorum vote or blkverify can tell: nothing ever writes guest data, so a node reads
// zeros, or the leading bytes of a qcow2 image file below it (a header read as raw), possibly from an offset on.
import { qcow2HeaderBytes } from '../images/qcow2-header-bytes.ts';
import type { BrokenQcow2Header, ImageFile, Qcow2Header } from '../images/image-store.ts';

export type Content =
  | { readonly kind: 'zeros' }
  /**
   * An image file's own header (a fresh qcow2's, or one a shrink cut short), read through raw windows that start
   * `shifts` bytes in, one entry a window (offset 0 adds none): one shift is modelled, more are not.
   */
  | { readonly kind: 'header'; readonly header: Qcow2Header | BrokenQcow2Header; readonly shifts: readonly number[] };

export const ZEROS: Content = { kind: 'zeros' };

export function headerContent(header: Qcow2Header | BrokenQcow2Header): Content {
  return { kind: 'header', header, shifts: [] };
}

/** The same bytes read `offset` further in (a raw window at that offset). */
export function shifted(c: Content, offset: number): Content {
  return c.kind === 'zeros' || offset === 0 ? c : { ...c, shifts: [...c.shifts, offset] };
}

function sameHeader(a: Qcow2Header | BrokenQcow2Header, b: Qcow2Header | BrokenQcow2Header): boolean {
  if (a.kind === 'qcow2' && b.kind === 'qcow2') {
    return a.virtualSize === b.virtualSize && a.clusterSize === b.clusterSize && a.backingFile === b.backingFile && a.backingFormat === b.backingFormat;
  }
  return a.kind === 'broken-qcow2' && b.kind === 'broken-qcow2' && a.message === b.message && a.probesAsQcow2 === b.probesAsQcow2;
}

/** Equal contents read equal bytes (a quorum counts them as one version). */
export function sameContent(a: Content, b: Content): boolean {
  if (a.kind === 'zeros' || b.kind === 'zeros') return a.kind === b.kind;
  return sameHeader(a.header, b.header) && a.shifts.length === b.shifts.length && a.shifts.every((s, i) => s === b.shifts[i]);
}

/** The content's leading bytes where modelled: zeros, or a fresh qcow2 header from its start or one offset on. */
function leadingBytes(c: Content): Uint8Array | undefined {
  if (c.kind === 'zeros') return new Uint8Array(0);
  if (c.header.kind !== 'qcow2' || c.shifts.length > 1) return undefined;
  return qcow2HeaderBytes(c.header).slice(c.shifts[0] ?? 0);
}

/** The first byte at which two contents differ (undefined: equal); unmodelled bytes differ at once. */
export function firstDifference(a: Content, b: Content): number | undefined {
  if (sameContent(a, b)) return undefined;
  const x = leadingBytes(a);
  const y = leadingBytes(b);
  if (!x || !y) return 0;
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return i;
  return undefined;
}

/** The header a copy of this content writes at offset 0 of an image file; undefined for a shifted read (not modelled). */
export function headerWritten(c: Content): ImageFile['header'] | undefined {
  if (c.kind === 'zeros') return { kind: 'raw' };
  return c.shifts.length === 0 ? c.header : undefined;
}
