// A target runs QMP commands on one system (impl, model, real QEMU) and reports outcomes and normalized graphs.
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from './outcome.ts';

export type TargetName = 'impl' | 'model' | 'qemu';

/** Historical bugs to switch on (quirks) and QEMU 7.2 defects to switch off (fixes); passed through as given. */
export interface Variant {
  readonly quirks: readonly string[];
  readonly fixes: readonly string[];
}

export const PLAIN: Variant = Object.freeze({ quirks: [], fixes: [] });

export type StartResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: { readonly code: 'not-available' | 'unsupported-variant' | 'start-failed'; readonly message: string } };

export interface TargetStep {
  readonly outcome: StepOutcome;
  /** Null when graphs were not asked for, or the target is gone. */
  readonly graph: NormalizedGraph | null;
}

export interface Target {
  readonly name: TargetName;
  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult>;
  step(cmd: QmpCommand): Promise<TargetStep>;
  close(): Promise<void>;
}

export function variantText(v: Variant): string {
  const parts = [...v.quirks.map((q) => `--quirk ${q}`), ...v.fixes.map((f) => `--fix ${f}`)];
  return parts.length === 0 ? 'no quirks or fixes' : parts.join(' ');
}
