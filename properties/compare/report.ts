// A disagreement as a person reads it: the step, both results, the graph diff, and the sequence to replay.
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { wireJson } from '../../qmp/json/wire-text.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { Variant } from '../run/target.ts';
import { variantText } from '../run/target.ts';

export interface ReportInput {
  readonly step: number;
  readonly cmd: QmpCommand;
  readonly sides: string;
  readonly why: string;
  readonly graphDiff: readonly string[];
  readonly images: readonly ImageSpec[];
  readonly commands: readonly QmpCommand[];
  readonly variant: Variant;
}

export function formatReport(r: ReportInput): string {
  const diff = r.graphDiff.length === 0 ? '  (none)' : r.graphDiff.map((l) => `  ${l}`).join('\n');
  return [
    `model and impl disagree at step ${r.step} (${variantText(r.variant)}): ${r.why}`,
    `command: ${wireJson(r.cmd)}`,
    r.sides,
    'graph diff (model -> impl):',
    diff,
    'scenario (replay with `bgcheck replay`):',
    wireJson({ images: r.images, commands: r.commands }),
  ].join('\n');
}
