// The monitor against a session recorded from qemu-storage-daemon 7.2: hostile input, byte for byte.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BlockLayer } from './block-layer.ts';
import { MemoryImageStore } from './images/memory.ts';
import { QmpMonitor } from '../qmp/monitor.ts';
import { monitorBackend } from './monitor-backend.ts';

const fixture = (name: string): string => readFileSync(new URL(`../qmp/fixtures/${name}`, import.meta.url), 'utf8');

function serve(input: string, chunk: number): { out: string; exit: number | undefined } {
  const lines: string[] = [];
  let exit: number | undefined;
  const m = new QmpMonitor(monitorBackend(new BlockLayer(new MemoryImageStore())), {
    out: (l) => void lines.push(l),
    err: () => undefined,
    exit: (c) => void (exit = c),
    now: () => ({ seconds: 0, microseconds: 0 }),
  });
  for (let i = 0; i < input.length; i += chunk) m.feed(input.slice(i, i + chunk));
  // the stdio server ends lines as QEMU's chardev does
  return { out: lines.map((l) => l + '\r\n').join(''), exit };
}

describe('QMP monitor', () => {
  const input = fixture('monitor-session.in.txt');
  const qemu = fixture('monitor-session.qemu.txt');

  it('answers exactly as QEMU 7.2 did, whole lines at a time', () => {
    expect(serve(input, input.length)).toEqual({ out: qemu, exit: 0 });
  });

  it('answers the same when input arrives in arbitrary small chunks', () => {
    for (const chunk of [1, 3, 7, 64]) expect(serve(input, chunk).out).toBe(qemu);
  });

  it('never dies on bad input: a later good command is still answered', () => {
    const { out } = serve('{"execute":"qmp_capabilities"}\n]]]\n{"a"\n}\n"x"\n{"execute":"query-jobs"}\n', 5);
    expect(out.trimEnd().split('\r\n').at(-1)).toBe('{"return": []}');
  });
});
