// The impl as a target, in-process: commands go straight to BlockLayer, whose env the invariants inspect.
import { FIXES, QUIRKS, parseBehaviour } from '../../impl/behaviour.ts';
import { BlockLayer } from '../../impl/block-layer.ts';
import type { BlockEnv } from '../../impl/core/block-env.ts';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import { parseBlockGraph, parseNamedNodes } from '../../qmp/normalized-graph.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import { normalizeGraph } from '../../qmp/normalize.ts';
import type { Crash } from '../../qmp/crash.ts';
import type { JsonObject, QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from './outcome.ts';
import { isObservationName } from '../../qmp/observation.ts';
import type { StartResult, Target, TargetStep, Variant } from './target.ts';

/** Quirks and fixes BlockLayer understands (impl/behaviour.ts). */
export const IMPL_QUIRKS: readonly string[] = QUIRKS;
export const IMPL_FIXES: readonly string[] = FIXES;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ImplTarget implements Target {
  readonly name = 'impl';
  private layer: BlockLayer | undefined;
  private aborted = false;
  private dying: Crash | undefined;

  constructor(private readonly opts: { readonly graphs: boolean } = { graphs: false }) {}

  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    const behaviour = parseBehaviour(variant.quirks, variant.fixes);
    if (!behaviour.ok) return Promise.resolve({ ok: false, error: { code: 'unsupported-variant', message: `the impl has no ${behaviour.message}` } });
    this.layer = new BlockLayer(MemoryImageStore.fromSpecs(images), behaviour.value);
    this.aborted = false;
    this.dying = undefined;
    return Promise.resolve({ ok: true });
  }

  /** QEMU dies right after the last command's reply (a job's background work): the next command finds it dead. */
  get crashAfterReply(): Crash | undefined {
    return this.dying;
  }

  get env(): BlockEnv {
    if (!this.layer) throw new Error('ImplTarget: start() first');
    return this.layer.env;
  }

  step(cmd: QmpCommand): Promise<TargetStep> {
    const outcome = this.execute(cmd);
    return Promise.resolve({ outcome, graph: this.opts.graphs && outcome.kind !== 'abort' ? this.graph() : null });
  }

  /** One command; the monitor's own refusal of non-object arguments is kept. */
  execute(cmd: QmpCommand): StepOutcome {
    if (!this.layer) throw new Error('ImplTarget: start() first');
    if (this.aborted) return { kind: 'abort', stderr: 'QMP peer closed' };
    const args = cmd.arguments ?? {};
    if (!isObject(args)) return { kind: 'error', code: 'invalid-param', desc: "QMP input member 'arguments' must be an object" };
    try {
      const o = this.layer.execute(cmd.execute, args);
      if (o.kind === 'qemu-abort') {
        this.aborted = true;
        return { kind: 'abort', stderr: o.crash.stderr, crash: o.crash };
      }
      this.dying = o.crashAfterReply;
      if (!o.result.ok) return { kind: 'error', code: o.result.error.code, desc: o.result.error.message };
      return isObservationName(cmd.execute) ? { kind: 'ok', value: o.result.value } : { kind: 'ok' };
    } catch (e) {
      return { kind: 'exception', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  }

  /** The normalized graph; null if the impl cannot even answer the queries (a finding elsewhere). */
  graph(): NormalizedGraph | null {
    if (!this.layer || this.aborted) return null;
    try {
      const g = this.layer.execute('x-debug-query-block-graph');
      const n = this.layer.execute('query-named-block-nodes', { flat: true });
      if (g.kind !== 'reply' || !g.result.ok || n.kind !== 'reply' || !n.result.ok) return null;
      const raw = parseBlockGraph(g.result.value);
      const named = parseNamedNodes(n.result.value);
      return raw.ok && named.ok ? normalizeGraph(raw.value, named.value) : null;
    } catch {
      return null;
    }
  }

  close(): Promise<void> {
    this.layer = undefined;
    return Promise.resolve();
  }
}
