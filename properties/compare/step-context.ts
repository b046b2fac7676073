// One command on the model beside an impl step already taken, with everything needed to explain a difference.
import { childEdge, imageBelow } from '../../model/graph.ts';
import { permSetOf } from '../../model/perm-set.ts';
import type { ModelState } from '../../model/state.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { JsonObject, QmpCommand } from '../../qmp/types.ts';
import { edgePermsMatchDriverRules } from '../invariants/edge-perms-match-driver-rules.ts';
import type { ImplTarget } from '../run/impl-target.ts';
import { ModelTarget } from '../run/model-target.ts';
import type { StepOutcome } from '../run/outcome.ts';
import { takeSnapshot } from '../snapshot.ts';
import type { StepContext } from './known-defects.ts';

const fileImage = (s: ModelState, qcow2: string): string | null | undefined => {
  const file = childEdge(s, qcow2, 'file')?.child;
  return file === undefined ? undefined : imageBelow(s, file);
};

/** Runs `cmd` on the model (the impl has run it, giving `implOutcome`) and describes both sides. */
export function modelStep(impl: ImplTarget, model: ModelTarget, cmd: QmpCommand, implOutcome: StepOutcome, implGraph?: NormalizedGraph | null): StepContext {
  const before = model.state;
  const modelOutcome = model.execute(cmd);
  return {
    cmd,
    impl: { outcome: implOutcome, graph: implGraph !== undefined ? implGraph : implOutcome.kind === 'crash' ? null : impl.graph() },
    model: { outcome: modelOutcome, graph: modelOutcome.kind === 'exception' ? null : model.graph() },
    implStreamHoldsEdges: [...impl.env.jobs.values()].some((j) => j.type === 'stream' && j.status === 'concluded' && j.parent.edges.length > 0),
    modelAs72: () => ModelTarget.whatIf72(before, cmd, ['force-share-never-restates']),
    implDeferredCrash: impl.crashAfterReply,
    modelEdgeWasToForceShare: (parent, name) => {
      const e = before.edges.find((x) => x.parent === parent && x.name === name);
      return e !== undefined && before.nodes.some((n) => n.name === e.child && n.forceShare);
    },
    implImageDataApart: () =>
      [...impl.env.graph.nodes.values()].some((n) => n.driverGone) ||
      // a qcow2 zero write allocated clusters: its image file grew (core-diff-34)
      Object.keys(model.state.images).some((name) => (impl.env.images.read(name)?.l2Tables?.length ?? 0) > 0) ||
      // a qcow2 whose file a reopen swapped: its metadata now lives in another image (core-diff-52, -71)
      model.state.nodes.some((n) => n.driver === 'qcow2' && n.image !== undefined && fileImage(model.state, n.name) !== n.image) ||
      Object.entries(model.state.images).some(([name, m]) => {
        const h = impl.env.images.read(name)?.header;
        return h !== undefined && m.format === 'qcow2' && (h.kind !== 'qcow2' || h.backingFile !== m.backingFile);
      }),
    modelIfStreamLeaked: cmd.execute === 'block-stream' && modelOutcome.kind === 'error' ? streamLeaked(model, cmd) : null,
    implStaleEdges: () => {
      const inv = edgePermsMatchDriverRules;
      return inv.kind === 'state' ? inv.check(takeSnapshot(impl.env)).map((v) => v.message) : [];
    },
  };
}

/** 7.2 leaves the failed stream's BlockBackend [R/RWU] on the device (job-stream-15): the model's graph had it stayed. */
function streamLeaked(model: ModelTarget, cmd: QmpCommand): NormalizedGraph | null {
  const args = typeof cmd.arguments === 'object' && cmd.arguments !== null && !Array.isArray(cmd.arguments) ? (cmd.arguments as JsonObject) : {};
  const device = args['device'];
  if (typeof device !== 'string' || !model.state.nodes.some((n) => n.name === device)) return null;
  const bb = { id: -1, child: device, perm: permSetOf('consistent-read'), shared: permSetOf('consistent-read', 'write', 'write-unchanged') };
  return model.graphIf((s) => ({ ...s, bbs: [bb, ...s.bbs] }));
}
