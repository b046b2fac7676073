// What a worker process fuzzes, built from the plain data it was sent: the impl, beside the model or alone.
import { ModelTarget } from '../run/model-target.ts';
import type { CampaignOptions } from './campaign.ts';
import type { WorkerCampaignData } from './worker-messages.ts';

export type WorkerRunParts = Pick<CampaignOptions, 'check'> & Partial<Pick<CampaignOptions, 'against'>>;

export const workerPlan = (d: WorkerCampaignData): WorkerRunParts =>
  d.check === 'model' ? { check: () => new ModelTarget(), against: 'model' } : { check: undefined };
