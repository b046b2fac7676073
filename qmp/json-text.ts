// QEMU's QMP wire format: one JSON object per line, as qobject/qjson.c writes it (qmp/json/qemu-text.ts).
import { qemuJson } from './json/qemu-text.ts';

export function qmpJson(v: unknown): string {
  return qemuJson(v);
}
