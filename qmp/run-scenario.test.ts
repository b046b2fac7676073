import { describe, expect, it } from 'vitest';
import { formatResult, runScenario } from './run-scenario.ts';
import type { Scenario } from './scenario.ts';
import type { PeerLost, QmpCommand, QmpEndpoint, QmpOutcome } from './types.ts';

const lost: PeerLost = { kind: 'qemu-crash', message: 'QMP peer closed; stderr: boom\n', stderr: 'boom\n' };
const graph = {
  nodes: [{ id: 1, type: 'block-driver', name: 'n' }],
  edges: [],
};

/** An in-process peer: `answer` may reply, or return undefined for the default graph/job replies. */
function fakeEndpoint(answer: (c: QmpCommand, log: readonly string[]) => QmpOutcome | undefined): QmpEndpoint & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    execute: async (c) => {
      log.push(c.execute);
      const a = answer(c, log);
      if (a !== undefined) return a;
      if (c.execute === 'x-debug-query-block-graph') return { return: graph };
      if (c.execute === 'query-named-block-nodes') return { return: [{ 'node-name': 'n', drv: 'null-co', ro: false }] };
      if (c.execute === 'query-jobs') return { return: [] };
      return { return: {} };
    },
    drainEvents: () => [],
    close: async () => undefined,
  };
}

const scenario = (...execs: string[]): Scenario => ({ images: [], commands: execs.map((execute) => ({ execute })) });
const nodeGraph = { nodes: [{ name: 'n', type: 'block-driver', drv: 'null-co', ro: false }], edges: [] };

describe('runScenario', () => {
  it('reports steps, keeps returns of query commands, and the graph after each step', async () => {
    const ep = fakeEndpoint((c) => (c.execute === 'blockdev-del' ? { error: { class: 'GenericError', desc: 'nope' } } : undefined));
    const r = await runScenario(scenario('blockdev-add', 'blockdev-del', 'query-jobs'), ep, { every: true });
    expect(r.ok && JSON.stringify(r.result)).toBe(
      JSON.stringify({
        steps: [
          { execute: 'blockdev-add', ok: true },
          { execute: 'blockdev-del', ok: false, error: 'nope' },
          { execute: 'query-jobs', ok: true, return: [] },
        ],
        graph: nodeGraph,
        graphs: [nodeGraph, nodeGraph, nodeGraph],
      }),
    );
  });

  it('polls query-jobs until every job is stable', async () => {
    let polls = 0;
    const ep = fakeEndpoint((c) => {
      if (c.execute !== 'query-jobs') return undefined;
      polls++;
      return { return: [{ id: 'j', status: polls < 3 ? 'running' : 'ready' }] };
    });
    await runScenario(scenario('blockdev-mirror'), ep, { every: false, pollIntervalMs: 1 });
    expect(ep.log.slice(0, 4)).toEqual(['blockdev-mirror', 'query-jobs', 'query-jobs', 'query-jobs']);
  });

  it('marks a crash on the command itself: crashed before error, no graph', async () => {
    const ep = fakeEndpoint((c) => (c.execute === 'blockdev-reopen' ? { lost } : undefined));
    const r = await runScenario(scenario('blockdev-add', 'blockdev-reopen', 'blockdev-add'), ep, { every: true });
    expect(r.ok && formatResult(r.result)).toBe(
      JSON.stringify(
        {
          steps: [{ execute: 'blockdev-add', ok: true }, { execute: 'blockdev-reopen', ok: false, crashed: true, error: lost.message }],
          graph: null,
          crashed: true,
          graphs: [nodeGraph],
        },
        null,
        1,
      ),
    );
  });

  it('marks a crash after the reply: keeps ok, error after crashed', async () => {
    const ep = fakeEndpoint((c, log) => (c.execute === 'query-jobs' && log.includes('job-complete') ? { lost } : undefined));
    const r = await runScenario(scenario('job-complete'), ep, { every: false });
    expect(r.ok && JSON.stringify(r.result)).toBe(
      JSON.stringify({ steps: [{ execute: 'job-complete', ok: true, crashed: true, error: lost.message }], graph: null, crashed: true }),
    );
  });

  it('returns a typed failure when the peer has no block graph', async () => {
    const ep = fakeEndpoint((c) => (c.execute === 'x-debug-query-block-graph' ? { error: { class: 'CommandNotFound', desc: 'no' } } : undefined));
    const r = await runScenario(scenario('blockdev-add'), ep, { every: false });
    expect(!r.ok && r.error.code).toBe('bad-graph-reply');
  });
});
