// QEMU's QMP wire format: one JSON object per line with ", " and ": " separators.

export function qmpJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(qmpJson).join(', ') + ']';
  const parts = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => JSON.stringify(k) + ': ' + qmpJson(x));
  return '{' + parts.join(', ') + '}';
}
