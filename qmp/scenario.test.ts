import { describe, expect, it } from 'vitest';
import { parseScenario } from './scenario.ts';

const ok = {
  description: 'a chain',
  images: [
    { filename: 'base.qcow2', format: 'qcow2', size: 1048576 },
    { filename: 'top.qcow2', format: 'qcow2', size: 1048576, backing: 'base.qcow2', cluster_size: 65536 },
  ],
  commands: [{ execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'n' } }, { execute: 'query-jobs' }],
};

function messageOf(json: unknown): string {
  const r = parseScenario(json, 'foo.json');
  return r.ok ? 'ok' : r.error.message;
}

describe('parseScenario', () => {
  it('accepts a valid scenario and keeps its fields', () => {
    const r = parseScenario(ok, 'foo.json');
    expect(r.ok && r.scenario).toEqual(ok);
  });

  it('defaults images to none and format to qcow2, as qmprun.py does', () => {
    const r = parseScenario({ commands: [] }, 'foo.json');
    expect(r.ok && r.scenario).toEqual({ images: [], commands: [] });
    const r2 = parseScenario({ images: [{ filename: 'a', size: 512 }], commands: [] }, 'foo.json');
    expect(r2.ok && r2.scenario.images[0]?.format).toBe('qcow2');
  });

  it('keeps non-object arguments, which QEMU itself refuses', () => {
    const r = parseScenario({ commands: [{ execute: 'blockdev-del', arguments: ['n'] }] }, 'foo.json');
    expect(r.ok && r.scenario.commands[0]?.arguments).toEqual(['n']);
  });

  it.each([
    [[], 'foo.json: (top level): expected an object'],
    [{ images: [] }, 'foo.json: commands: expected a list'],
    [{ ...ok, extra: 1 }, 'foo.json: extra: unexpected field'],
    [{ ...ok, description: 3 }, 'foo.json: description: expected a string'],
    [{ ...ok, commands: [...ok.commands, {}, { execute: 'x' }, { execute: 4 }] }, 'foo.json: commands[2].execute: expected a string'],
    [{ ...ok, commands: [{ execute: 'x', argument: {} }] }, 'foo.json: commands[0].argument: unexpected field'],
    [{ ...ok, images: [{ filename: 'a', format: 'vmdk', size: 1 }] }, "foo.json: images[0].format: expected 'qcow2' or 'raw'"],
    [{ ...ok, images: [{ filename: '../a', format: 'raw', size: 1 }] }, 'foo.json: images[0].filename: expected a plain file name'],
    [{ ...ok, images: [{ filename: 'a', format: 'raw', size: -1 }] }, 'foo.json: images[0].size: expected a non-negative integer'],
    [{ ...ok, images: [{ filename: 'a', format: 'raw', size: 1.5 }] }, 'foo.json: images[0].size: expected a non-negative integer'],
    [{ ...ok, images: [{ filename: 'a', format: 'raw', size: 1, backing: 'b' }] }, 'foo.json: images[0].backing: raw images cannot have a backing file'],
    [{ ...ok, images: [{ filename: 'a', size: 1, cluster_size: 1000 }] }, 'foo.json: images[0].cluster_size: expected a power of two from 512 to 2097152'],
    [{ ...ok, images: [{ filename: 'a', size: 1, backing_fmt: 'qcow2' }] }, 'foo.json: images[0].backing_fmt: given without backing'],
    [{ ...ok, images: [{ filename: 'a', size: 1, backingfile: 'b' }] }, 'foo.json: images[0].backingfile: unexpected field'],
    [{ ...ok, images: [{ filename: 'a', size: 1 }, { filename: 'a', size: 2 }] }, "foo.json: images[1].filename: 'a' is listed twice"],
  ])('rejects %j', (json, message) => {
    expect(messageOf(json)).toBe(message);
  });
});
