// What a worker process fuzzes, built from the plain data it was sent: the impl beside the model, or a QEMU build
// (its own tool host, one daemon at a time: `--jobs N` is N worker processes).
import { ToolHost } from '../../qemu/tool-host.ts';
import { observedFor } from '../invariants/for-build.ts';
import { buildTarget, implAsBuild } from '../observe/targets.ts';
import { ModelTarget } from '../run/model-target.ts';
import type { CampaignOptions } from './campaign.ts';
import type { WorkerCampaignData } from './worker-messages.ts';

export type WorkerRunParts = Partial<Pick<CampaignOptions, 'target' | 'prefilter' | 'build' | 'invariants' | 'check' | 'against'>>;

export interface WorkerPlan {
  readonly parts: WorkerRunParts;
  /** Ends what the plan started (QEMU's spawner helpers, the image cache). */
  close(): Promise<void>;
}

export function workerPlan(d: WorkerCampaignData): WorkerPlan {
  const q = d.qemu;
  if (q === undefined) {
    const parts: WorkerRunParts = d.check === 'model' ? { check: () => new ModelTarget(), against: 'model' } : {};
    return { parts, close: () => Promise.resolve() };
  }
  const host = new ToolHost();
  const onBuild = (): ReturnType<typeof buildTarget> => buildTarget(q.build, { hangMs: q.hangMs, host });
  const parts: WorkerRunParts =
    q.role === 'target'
      ? { target: onBuild, prefilter: () => implAsBuild(), build: q.build.identity, invariants: observedFor(q.build.identity.version) }
      : { check: onBuild, against: 'qemu' };
  return { parts, close: () => host.close() };
}
