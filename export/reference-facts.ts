// The facts an exported iotest asserts, computed here by replaying the fixture: on the impl (the perms the rules give
// to the edges the finding is about) and on the reference model (what a disagreement should have been).
import { parseBehaviour } from '../impl/behaviour.ts';
import { ImplEndpoint } from '../impl/impl-endpoint.ts';
import { MemoryImageStore } from '../impl/images/memory.ts';
import { expectedEdgePerms } from '../properties/invariants/edge-perms-match-driver-rules.ts';
import { SnapshotIndex } from '../properties/invariants/graph-views.ts';
import type { Fixture } from '../properties/fixtures/fixture.ts';
import { ImplTarget } from '../properties/run/impl-target.ts';
import { ModelTarget } from '../properties/run/model-target.ts';
import type { StepOutcome } from '../properties/run/outcome.ts';
import type { Target, TargetStep, Variant } from '../properties/run/target.ts';
import { takeSnapshot } from '../properties/snapshot.ts';
import type { NormalizedGraph } from '../qmp/normalized-graph.ts';
import { collectSteps } from '../show/collect-trace.ts';
import type { EdgeFact, NodeFact, ReplyKind } from './iotest-checks.ts';

type Facts<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The edges whose perms differ from the rules right after the finding's step, with the rules' perms. */
export async function expectedEdgeFacts(f: Fixture): Promise<Facts<EdgeFact[]>> {
  const behaviour = parseBehaviour(f.expect.reproduces.quirks, f.expect.reproduces.fixes);
  if (!behaviour.ok) return { ok: false, message: `${f.name}: the impl has no ${behaviour.message}` };
  const endpoint = new ImplEndpoint(MemoryImageStore.fromSpecs(f.scenario.images), behaviour.value);
  const run = await collectSteps(endpoint, f.scenario.commands.slice(0, f.finding.step + 1));
  const g = run.steps.at(-1)?.graph;
  const expected = expectedEdgePerms(new SnapshotIndex(takeSnapshot(endpoint.layer.env)));
  if (g == null || expected === undefined) return { ok: false, message: `${f.name}: no graph after step ${f.finding.step} to take the rules' perms from` };
  const canonical = (name: string): string | undefined => {
    const raw = g.raw.nodes.find((n) => n.type === 'block-driver' && n.name === name);
    return raw === undefined ? undefined : g.canonical.get(raw.id);
  };
  const out: EdgeFact[] = [];
  for (const [e, x] of expected.expected) {
    if (e.parent.kind !== 'node' || (e.perm.join() === x.perm.join() && e.shared.join() === x.shared.join())) continue;
    const parent = canonical(e.parent.name);
    const child = canonical(e.child);
    if (parent === undefined || child === undefined) return { ok: false, message: `${f.name}: edge ${e.key} has no canonical name` };
    out.push({ parent, role: e.name, child, perm: [...x.perm].sort(), shared: [...x.shared].sort() });
  }
  return out.length > 0 ? { ok: true, value: out } : { ok: false, message: `${f.name}: the impl shows no wrong edge perms after step ${f.finding.step}` };
}

/** Whether the impl's graph (nodes, drv, ro, edges, perms) after the finding's step differs from the one before it. */
export async function failureVisible(f: Fixture): Promise<boolean> {
  const behaviour = parseBehaviour(f.expect.reproduces.quirks, f.expect.reproduces.fixes);
  if (!behaviour.ok) return true;
  const run = await collectSteps(new ImplEndpoint(MemoryImageStore.fromSpecs(f.scenario.images), behaviour.value), f.scenario.commands.slice(0, f.finding.step + 1));
  const after = run.steps.at(-1)?.graph?.normalized;
  const before = run.steps.length >= 2 ? run.steps.at(-2)?.graph?.normalized : run.initial?.normalized;
  return after === undefined || before === undefined || JSON.stringify(after) !== JSON.stringify(before);
}

async function runTo(target: Target, f: Fixture, variant: Variant): Promise<Facts<TargetStep>> {
  const started = await target.start(f.scenario.images, variant);
  if (!started.ok) return { ok: false, message: `${f.name}: ${started.error.message}` };
  let last: TargetStep | undefined;
  for (const c of f.scenario.commands.slice(0, f.finding.step + 1)) last = await target.step(c);
  await target.close();
  return last === undefined ? { ok: false, message: `${f.name}: no step ${f.finding.step}` } : { ok: true, value: last };
}

const replyKind = (o: StepOutcome): ReplyKind | undefined => (o.kind === 'ok' ? 'return' : o.kind === 'error' ? 'error' : undefined);

function nodeFacts(model: NormalizedGraph, impl: NormalizedGraph | null): NodeFact[] {
  const out: NodeFact[] = [];
  for (const n of model.nodes) {
    if (n.type !== 'block-driver' || typeof n.drv !== 'string' || typeof n.ro !== 'boolean') continue;
    const i = impl?.nodes.find((x) => x.name === n.name);
    if (i === undefined || i.type !== 'block-driver' || i.drv !== n.drv || i.ro !== n.ro) out.push({ name: n.name, drv: n.drv, ro: n.ro });
  }
  return out;
}

function edgeFacts(model: NormalizedGraph, impl: NormalizedGraph | null): EdgeFact[] {
  const out: EdgeFact[] = [];
  for (const e of model.edges) {
    const i = impl?.edges.find((x) => x.parent === e.parent && x.name === e.name && x.child === e.child);
    if (i !== undefined && i.perm.join() === e.perm.join() && i['shared-perm'].join() === e['shared-perm'].join()) continue;
    // edges from anonymous parents have no path a test can follow
    if (e.parent.startsWith('bb(') || e.parent.startsWith('?')) continue;
    out.push({ parent: e.parent, role: e.name, child: e.child, perm: e.perm, shared: e['shared-perm'] });
  }
  return out;
}

export interface ReferenceFacts {
  readonly reply: ReplyKind;
  readonly desc: string | null;
  readonly nodes: readonly NodeFact[];
  readonly edges: readonly EdgeFact[];
}

/** What the model does at the finding's step, where it differs from the impl as 7.2 (with the fixture's switches). */
export async function referenceFacts(f: Fixture, withDesc: boolean): Promise<Facts<ReferenceFacts>> {
  const model = await runTo(new ModelTarget(), f, f.expect.reproduces);
  const impl = await runTo(new ImplTarget({ graphs: true }), f, f.expect.reproduces);
  if (!model.ok) return model;
  if (!impl.ok) return impl;
  const reply = replyKind(model.value.outcome);
  if (reply === undefined) return { ok: false, message: `${f.name}: the model gives no reply at step ${f.finding.step}` };
  const mo = model.value.outcome;
  const io = impl.value.outcome;
  // the model's wording for a fix QEMU may word otherwise is not asserted
  const desc = withDesc && mo.kind === 'error' && io.kind === 'error' && mo.desc !== io.desc ? mo.desc : null;
  const g = model.value.graph;
  return { ok: true, value: { reply, desc, nodes: g === null ? [] : nodeFacts(g, impl.value.graph), edges: g === null ? [] : edgeFacts(g, impl.value.graph) } };
}

/** The reply kind of every step up to the finding's, from the impl in the configuration where the finding passes. */
export async function referenceReplies(f: Fixture): Promise<Facts<ReplyKind[]>> {
  const target = new ImplTarget();
  const started = await target.start(f.scenario.images, f.expect.passes ?? f.expect.reproduces);
  if (!started.ok) return { ok: false, message: `${f.name}: ${started.error.message}` };
  const out: ReplyKind[] = [];
  for (const c of f.scenario.commands.slice(0, f.finding.step + 1)) {
    const k = replyKind((await target.step(c)).outcome);
    if (k === undefined) return { ok: false, message: `${f.name}: the reference dies at ${c.execute}` };
    out.push(k);
  }
  return { ok: true, value: out };
}
