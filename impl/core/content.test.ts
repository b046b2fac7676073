// Read contents compare by what they are, not by an encoding: headers field by field, raw windows as shifts.
import { describe, expect, it } from 'vitest';
import { ZEROS, firstDifference, headerContent, headerWritten, sameContent, shifted } from './content.ts';
import type { Qcow2Header } from '../images/image-store.ts';

const h = (backingFile?: string): Qcow2Header => ({ kind: 'qcow2', virtualSize: 1048576, clusterSize: 65536, ...(backingFile ? { backingFile, backingFormat: 'qcow2' } : {}) });

describe('content', () => {
  it('counts equal headers as one version, whatever object holds them', () => {
    expect(sameContent(headerContent(h('b.qcow2')), headerContent({ ...h('b.qcow2') }))).toBe(true);
    expect(sameContent(headerContent(h('b.qcow2')), headerContent(h('c.qcow2')))).toBe(false);
    expect(sameContent(ZEROS, shifted(ZEROS, 512))).toBe(true);
    expect(sameContent(headerContent(h()), shifted(headerContent(h()), 512))).toBe(false);
  });

  it('finds the first differing byte of two headers, a header and zeros, and a header read one window in', () => {
    expect(firstDifference(headerContent(h()), headerContent(h()))).toBeUndefined();
    expect(firstDifference(headerContent(h()), ZEROS)).toBe(0);
    // the backing file's offset (bytes 8..15, big-endian 528) is the first field that differs
    expect(firstDifference(headerContent(h()), headerContent(h('b.qcow2')))).toBe(14);
    expect(firstDifference(shifted(headerContent(h()), 4), shifted(headerContent(h('b.qcow2')), 4))).toBe(10);
  });

  it('does not model a header read through two shifted windows, nor a header a shrink cut short', () => {
    const twice = shifted(shifted(headerContent(h()), 512), 512);
    expect(firstDifference(twice, shifted(shifted(headerContent(h('b')), 512), 512))).toBe(0);
    const broken = headerContent({ kind: 'broken-qcow2', message: 'qcow2 header too short', probesAsQcow2: true });
    expect(firstDifference(broken, ZEROS)).toBe(0);
    expect(headerWritten(broken)).toEqual(broken.kind === 'header' ? broken.header : undefined);
    expect(headerWritten(twice)).toBeUndefined();
    expect(headerWritten(ZEROS)).toEqual({ kind: 'raw' });
  });
});
