// QEMU's QMP wire format: one JSON object per line with ", " and ": " separators, keys in QDict order.
import { qdictOrder } from './qdict-order.ts';

export function qmpJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(qmpJson).join(', ') + ']';
  const obj = v as Record<string, unknown>;
  const keys = qdictOrder(Object.keys(obj).filter((k) => obj[k] !== undefined));
  const parts = keys.map((k) => JSON.stringify(k) + ': ' + qmpJson(obj[k]));
  return '{' + parts.join(', ') + '}';
}
