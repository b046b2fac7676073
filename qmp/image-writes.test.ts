import { describe, expect, it } from 'vitest';
import { observationOf } from './observation.ts';
import { parseScenario } from './scenario.ts';

const withWrites = (image: Record<string, unknown>): unknown => ({ images: [{ filename: 'a', format: 'qcow2', size: 1048576, ...image }], commands: [] });
const messageOf = (json: unknown): string => {
  const r = parseScenario(json, 'foo.json');
  return r.ok ? 'ok' : r.error.message;
};

describe('image data layouts', () => {
  it('keeps data and zero writes', () => {
    const writes = [{ offset: 0, length: 512, pattern: 170 }, { offset: 65536, length: 65536, zero: true }];
    const r = parseScenario(withWrites({ writes }), 'foo.json');
    expect(r.ok && r.scenario.images[0]?.writes).toEqual(writes);
  });

  it.each([
    [{ writes: {} }, 'foo.json: images[0].writes: expected a list'],
    [{ writes: [{ offset: 100, length: 512, pattern: 1 }] }, 'foo.json: images[0].writes[0].offset: expected a non-negative multiple of 512'],
    [{ writes: [{ offset: 0, length: 0, pattern: 1 }] }, 'foo.json: images[0].writes[0].length: expected a positive multiple of 512'],
    [{ writes: [{ offset: 1048576, length: 512, pattern: 1 }] }, "foo.json: images[0].writes[0].length: the write ends past the image's size"],
    [{ writes: [{ offset: 0, length: 512, pattern: 256 }] }, 'foo.json: images[0].writes[0].pattern: expected a byte (0 to 255)'],
    [{ writes: [{ offset: 0, length: 512, zero: true }] }, 'foo.json: images[0].writes[0].zero: expected whole clusters (65536 bytes)'],
    [{ writes: [{ offset: 0, length: 512, zero: true, pattern: 1 }] }, 'foo.json: images[0].writes[0].pattern: a write is data or zero, not both'],
    [{ format: 'raw', writes: [{ offset: 0, length: 65536, zero: true }] }, 'foo.json: images[0].writes[0].zero: zero writes are for qcow2 images only'],
    [{ writes: [{ offset: 0, length: 512, data: 1 }] }, 'foo.json: images[0].writes[0].data: unexpected field'],
  ])('refuses %j', (image, message) => expect(messageOf(withWrites(image))).toBe(message));

  it('takes zero writes on whole clusters of the image’s own cluster size', () => {
    expect(messageOf(withWrites({ cluster_size: 512, writes: [{ offset: 512, length: 512, zero: true }] }))).toBe('ok');
  });
});

describe('observation steps', () => {
  it('are commands naming a node', () => {
    expect(observationOf({ execute: 'observe-block-status', arguments: { 'node-name': 'n' } })).toEqual({ kind: 'observe-block-status', node: 'n' });
    expect(observationOf({ execute: 'observe-checksum', arguments: { 'node-name': 'n' } })).toEqual({ kind: 'observe-checksum', node: 'n' });
    expect(observationOf({ execute: 'observe-checksum' })).toBeUndefined();
    expect(observationOf({ execute: 'query-jobs' })).toBeUndefined();
  });
});
