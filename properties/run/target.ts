// A target runs QMP commands on one system (impl, model, a QEMU build) and shows each step as an Observation.
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { Observation } from './observation.ts';

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

/** An outcome and a graph: what a comparison reads of one side (the rest of an Observation is for the invariants). */
export type TargetStep = Pick<Observation, 'outcome' | 'graph'>;

/** What a target's own checks found after the invariants held: a finding, a difference a known defect explains, or
 * a step the model beside it does not judge (model/README.md). */
export type Diagnosis =
  | { readonly kind: 'clean' }
  /** `what`: what is wrong without names, the signature's last part (properties/signature/). */
  | { readonly kind: 'finding'; readonly detector: string; readonly message: string; readonly what?: string }
  | { readonly kind: 'explained'; readonly signature: string }
  | { readonly kind: 'unjudged'; readonly why: string };

export interface DiagnoseInput {
  readonly command: QmpCommand;
  readonly observation: Observation;
  /** The session's second target when it states intent (the model): the impl compares itself with it. */
  readonly intent: Target | undefined;
  /** This step's view is the same graph (sameSnapshot) as the last one every check held on — the session's and, since
   * any finding ends a run, the target's own: its state checks need not run again. */
  readonly statesHeld?: boolean;
}

export interface Target {
  readonly name: TargetName;
  /** Which build this is (`QEMU 10.0.2 (Debian …)`), for a QEMU target. */
  readonly identity?: string;
  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult>;
  step(cmd: QmpCommand): Promise<Observation>;
  /** Checks that need this target's insides (the impl's live graph and options, the model beside it). */
  diagnose?(input: DiagnoseInput): Diagnosis;
  close(): Promise<void>;
}

export function variantText(v: Variant): string {
  const parts = [...v.quirks.map((q) => `--quirk ${q}`), ...v.fixes.map((f) => `--fix ${f}`)];
  return parts.length === 0 ? 'no quirks or fixes' : parts.join(' ');
}
