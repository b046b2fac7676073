// Real QEMU 7.2 as a target (`--check qemu`): a qemu-storage-daemon per sequence, graphs normalized like qmprun.py.
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { parseBlockGraph, parseNamedNodes } from '../../qmp/normalized-graph.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import { normalizeGraph } from '../../qmp/normalize.ts';
import { isPeerLost } from '../../qmp/types.ts';
import type { JsonObject, JsonValue, QmpCommand, QmpEndpoint } from '../../qmp/types.ts';
import { openQemuTarget } from '../../qemu/target.ts';
import type { SafetyOptions } from '../../qemu/sandbox/check-scenario.ts';
import type { StepOutcome } from './outcome.ts';
import { isObservationName } from '../../qmp/observation.ts';
import type { StartResult, Target, TargetStep, Variant } from './target.ts';

/** Job statuses qmprun.py waits for. */
const STABLE = new Set(['ready', 'concluded', 'pending', 'paused', 'standby', 'null', 'undefined']);
const SETTLE_LIMIT_MS = 10_000;

export class QemuTarget implements Target {
  readonly name = 'qemu';
  private endpoint: QmpEndpoint | undefined;
  private gone = false;
  private lostStderr: string | undefined;

  /** `safety`: what the argument check lets through (--allow-unknown-commands). */
  constructor(private readonly safety: SafetyOptions = {}) {}

  async start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    if (variant.quirks.length > 0 || variant.fixes.length > 0) {
      return { ok: false, error: { code: 'unsupported-variant', message: 'QEMU 7.2 is what it is: no quirks or fixes to switch' } };
    }
    const opened = await openQemuTarget(images, { timeoutMs: 10_000, ...this.safety });
    if (!opened.ok) return { ok: false, error: { code: 'start-failed', message: opened.error.message } };
    this.endpoint = opened.target.endpoint;
    this.gone = false;
    this.lostStderr = undefined;
    return { ok: true };
  }

  /** One command plus the job progress it causes: like qmprun.py, wait until every job is in a stable status. */
  async step(cmd: QmpCommand): Promise<TargetStep> {
    if (!this.endpoint || this.gone) return { outcome: { kind: 'abort', stderr: this.lostStderr ?? 'QMP peer closed' }, graph: null };
    const r = await this.endpoint.execute(cmd);
    let outcome: StepOutcome;
    if (isPeerLost(r)) {
      this.gone = true;
      outcome = { kind: 'abort', stderr: r.lost.stderr };
    } else {
      outcome = 'error' in r ? { kind: 'error', code: null, desc: r.error.desc } : isObservationName(cmd.execute) ? { kind: 'ok', value: r.return } : { kind: 'ok' };
    }
    if (!this.gone) await this.settle();
    return { outcome, graph: this.gone ? null : await this.graph() };
  }

  private async settle(): Promise<void> {
    const start = performance.now();
    while (this.endpoint && performance.now() - start < SETTLE_LIMIT_MS) {
      const r = await this.endpoint.execute({ execute: 'query-jobs' });
      if (isPeerLost(r)) {
        this.gone = true;
        // it died in a job after the reply: the next command reports what it said
        this.lostStderr = r.lost.stderr;
        return;
      }
      const jobs = 'return' in r && Array.isArray(r.return) ? (r.return as readonly JsonValue[]) : [];
      if (jobs.every((j) => typeof j === 'object' && j !== null && !Array.isArray(j) && STABLE.has(String((j as JsonObject)['status'])))) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async graph(): Promise<NormalizedGraph | null> {
    if (!this.endpoint) return null;
    const g = await this.endpoint.execute({ execute: 'x-debug-query-block-graph' });
    const n = await this.endpoint.execute({ execute: 'query-named-block-nodes', arguments: { flat: true } });
    if (isPeerLost(g) || isPeerLost(n) || !('return' in g) || !('return' in n)) return null;
    const raw = parseBlockGraph(g.return);
    const named = parseNamedNodes(n.return);
    return raw.ok && named.ok ? normalizeGraph(raw.value, named.value) : null;
  }

  async close(): Promise<void> {
    await this.endpoint?.close();
    this.endpoint = undefined;
  }
}
