// An observation step judged against the model: the other side's block status must match what the model states per
// byte (depth, data, zero; not where extents start and end, which follow alignment: status-extents-aligned judges
// those), and its checksum the SHA-256 of the bytes the model states. Where the model does not follow the data, the
// step is not judged, and the model goes on.
import { servedAnswer } from '../../model/index.ts';
import type { ModelState, ServedAnswer } from '../../model/index.ts';
import { isNotModelled, observationOf } from '../../qmp/observation.ts';
import { runsSha256 } from '../../qmp/runs-sha256.ts';
import type { Sha256Memo } from '../../qmp/runs-sha256.ts';
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';
import { extentsOf } from '../invariants/served-steps.ts';
import type { StepOutcome } from '../run/outcome.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

export type ServedVerdict =
  | { readonly kind: 'agree' }
  | { readonly kind: 'not-judged'; readonly why: string }
  /** `key`: what differs without numbers (`blkdebug>qcow2:depth`, `qcow2:checksum`), for the finding's signature. */
  | { readonly kind: 'disagree'; readonly why: string; readonly sides: string; readonly key: string };

type Status = Extract<ServedAnswer, { kind: 'status' }>;
const FIELDS = ['depth', 'data', 'zero'] as const;

/** The first byte where the other side's extents differ from the model's status, in a block the model calls uniform. */
function statusDiffers(m: Status, seen: JsonValue): { readonly at: number; readonly field: string; readonly model: string; readonly other: string } | undefined {
  const other = extentsOf(seen);
  const total = other.reduce((n, x) => Math.max(n, x.start + x.length), 0);
  // the map ends early where the layer answering runs out (a filter over a shorter child): past it, nothing is stated
  const endsEarly = total < m.length && m.status.every((x) => x.end <= total || x.v.why !== undefined);
  if (total !== m.length && !endsEarly) return { at: Math.min(total, m.length), field: 'length', model: String(m.length), other: String(total) };
  // a block that holds a change of the model's status is answered by the NBD client as one: not judged
  const fuzzy = new Set(m.status.slice(1).map((x) => x.start).filter((x) => x % m.block !== 0).map((x) => Math.floor(x / m.block)));
  let i = 0;
  for (const e of other) {
    for (let at = e.start; at < e.start + e.length; ) {
      while (m.status[i]!.end <= at) i++;
      const x = m.status[i]!;
      const end = Math.min(x.end, e.start + e.length);
      const [first, last] = [Math.floor(x.start / m.block), Math.floor(x.end / m.block)];
      const lo = fuzzy.has(first) ? Math.max(at, (first + 1) * m.block) : at;
      const hi = fuzzy.has(last) ? Math.min(end, last * m.block) : end;
      for (const f of FIELDS) {
        const [mv, ov] = [x.v[f], e[f]];
        if (lo < hi && x.v.why === undefined && mv !== undefined && mv !== ov) return { at: lo, field: f, model: String(mv), other: String(ov) };
      }
      at = end;
    }
  }
  return undefined;
}

const sha256 = (bytes: Extract<ServedAnswer, { kind: 'checksum' }>['bytes'], memo: Sha256Memo | undefined): string => {
  const runs = bytes.map((x) => ({ length: x.end - x.start, byte: x.v }));
  return memo ? memo.sha256(runs) : runsSha256(runs);
};

const field = (v: JsonValue, k: string): JsonValue | undefined => (isObjectValue(v) ? v[k] : undefined);

/** The other side's answer `seen` to observation `cmd`, judged from the model's state `s`; `memo`: hashes known by content. */
export function judgeServed(s: ModelState, cmd: QmpCommand, seen: StepOutcome, memo?: Sha256Memo): ServedVerdict {
  const o = observationOf(cmd);
  // a refused export or a failed read is the export's and the reader's business, which the model does not state
  if (o === undefined || seen.kind !== 'ok') return { kind: 'not-judged', why: 'refused' };
  if (seen.value === undefined || isNotModelled(seen.value)) return { kind: 'not-judged', why: 'not-modelled' };
  const m = servedAnswer(s, o);
  if (m.kind === 'not-judged') return m;
  const answer = JSON.stringify(seen.value).slice(0, 300);
  if (m.kind === 'status') {
    const d = statusDiffers(m, seen.value);
    if (d === undefined) return { kind: 'agree' };
    const why = `block status of '${o.node}' differs at byte ${d.at}: ${d.field} ${d.other} where the model states ${d.model}`;
    return { kind: 'disagree', why, sides: `impl: ${answer}\nmodel: ${d.field} ${d.model} at ${d.at}`, key: `${m.path}:${d.field}` };
  }
  const [length, sum] = [field(seen.value, 'length'), field(seen.value, 'sha256')];
  if (length !== m.length) return { kind: 'disagree', why: `checksum of '${o.node}' over ${String(length)} bytes where the model states ${m.length}`, sides: `impl: ${answer}\nmodel: length ${m.length}`, key: `${m.path}:checksum-length` };
  const want = sha256(m.bytes, memo);
  return sum === want ? { kind: 'agree' } : { kind: 'disagree', why: `checksum of '${o.node}' differs from the bytes the model states`, sides: `impl: ${answer}\nmodel: ${want}`, key: `${m.path}:checksum` };
}
