import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../qmp/scenario.ts';
import { CheckSession } from '../run/check-session.ts';
import { PLAIN } from '../run/target.ts';
import type { CommandKind } from './command-kind.ts';
import { imagesArb } from './images.ts';
import { COMMAND_KINDS, NODE_MAKERS } from './kinds/index.ts';
import { nextCommandArb } from './next-command.ts';
import { restateOptions } from './restate-options.ts';
import { swarmArb } from './swarm.ts';

/** QEMU's QAPI visitor wording: the command did not even have the right shape. */
const QAPI_SHAPE = /^(Parameter '[^']*' (is missing|is unexpected|does not accept value|expects)|Invalid parameter type for|QMP input)/;

interface Tally {
  total: number;
  shapeErrors: number;
  kinds: Set<string>;
  errorsByKind: Map<string, number>;
}

async function sample(seed: number, runs: number, kinds: readonly CommandKind[] = COMMAND_KINDS): Promise<Tally> {
  const t: Tally = { total: 0, shapeErrors: 0, kinds: new Set(), errorsByKind: new Map() };
  await fc.assert(
    fc.asyncProperty(fc.gen(), async (g) => {
      const images = g(() => imagesArb);
      const enabled = g(() => swarmArb(kinds));
      const opened = await CheckSession.open(images, { variant: PLAIN, graphs: false });
      if (!opened.ok) throw new Error(opened.error.message);
      for (let i = 0; i < 25; i++) {
        const arb = nextCommandArb(enabled, { snapshot: opened.session.snapshot, images });
        if (!arb) break;
        const d = g(() => arb);
        const r = await opened.session.step(d.command);
        t.total++;
        t.kinds.add(d.kind);
        if (r.outcome.kind === 'error' && QAPI_SHAPE.test(r.outcome.desc)) {
          t.shapeErrors++;
          t.errorsByKind.set(d.kind, (t.errorsByKind.get(d.kind) ?? 0) + 1);
        }
        if (r.finding) break;
      }
    }),
    { seed, numRuns: runs, unbiased: true },
  );
  return t;
}

describe('command generation', () => {
  it('produces commands of the right QAPI shape at least 93% of the time, over every kind', async () => {
    const t = await sample(4, 150);
    expect(t.total).toBeGreaterThan(1500);
    expect(t.shapeErrors / t.total).toBeLessThan(0.07);
    // and sometimes not: slightly invalid arguments are part of the point
    expect(t.shapeErrors).toBeGreaterThan(0);
    expect([...t.kinds].sort()).toEqual(COMMAND_KINDS.map((k) => k.kind).sort());
  });

  it('is deterministic for a seed', async () => {
    const one = await sample(9, 20);
    const two = await sample(9, 20);
    expect([one.total, one.shapeErrors, [...one.kinds]]).toEqual([two.total, two.shapeErrors, [...two.kinds]]);
  });

  it('makes images qemu-img can create, with at least one qcow2 chain', () => {
    fc.assert(
      fc.property(imagesArb, (images) => {
        const r = parseScenario({ images, commands: [] }, 'generated');
        expect(r.ok ? '' : r.error.message).toBe('');
        expect(images.some((i) => i.format === 'qcow2')).toBe(true);
        for (const i of images) if (i.backing !== undefined) expect(images.map((x) => x.filename)).toContain(i.backing);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('swarms always include a node maker and what the chosen kinds depend on', () => {
    fc.assert(
      fc.property(swarmArb(), (kinds) => {
        const names = kinds.map((k) => k.kind);
        expect(names.some((n) => NODE_MAKERS.includes(n))).toBe(true);
        if (names.includes('block-export-add')) expect(names).toContain('nbd-server-start');
        if (names.includes('blockdev-add:throttle')) expect(names).toContain('object-add');
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('restates a node so that reopening it unchanged succeeds (implicit children as nested dicts)', async () => {
    const images = [
      { filename: 'b.qcow2', format: 'qcow2', size: 1048576 },
      { filename: 't.qcow2', format: 'qcow2', size: 1048576, backing: 'b.qcow2', backing_fmt: 'qcow2' },
    ] as const;
    const opened = await CheckSession.open(images, { variant: PLAIN, graphs: false });
    if (!opened.ok) throw new Error(opened.error.message);
    const s = opened.session;
    await s.step({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' } } });
    const t = s.snapshot.nodes.find((n) => n.name === 't');
    if (!t) throw new Error('no node t');
    const options = restateOptions(s.snapshot, t);
    expect(options).toMatchObject({ driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' } });
    const r = await s.step({ execute: 'blockdev-reopen', arguments: { options: [options] } });
    expect(r.outcome).toEqual({ kind: 'ok' });
    expect(r.finding).toBeUndefined();
  });
});
