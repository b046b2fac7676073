// qmp_dispatch_check_obj and the capabilities command's arguments, with QEMU 7.2's messages and QDict order.
import { firstLeftover } from './ghash-order.ts';
import { qdictOrder } from './qdict-order.ts';
import { isRecord } from './json-value.ts';
import type { JsonObject, JsonValue } from './types.ts';

export type CheckedRequest =
  | { readonly ok: true; readonly name: string; readonly oob: boolean; readonly args: JsonObject }
  | { readonly ok: false; readonly message: string };

/** A request's members, checked in the order QEMU's QDict lists them: the first bad one is what QEMU names. */
export function checkRequest(req: Readonly<Record<string, JsonValue>>, allowOob: boolean): CheckedRequest {
  let execKey: 'execute' | 'exec-oob' | undefined;
  for (const key of qdictOrder(Object.keys(req))) {
    const v = req[key];
    if (key === 'execute' || (key === 'exec-oob' && allowOob)) {
      if (typeof v !== 'string') return { ok: false, message: `QMP input member '${key}' must be a string` };
      if (execKey !== undefined) return { ok: false, message: `QMP input member '${key}' clashes with '${execKey}'` };
      execKey = key;
    } else if (key === 'arguments') {
      if (!isRecord(v)) return { ok: false, message: "QMP input member 'arguments' must be an object" };
    } else if (key !== 'id') {
      return { ok: false, message: `QMP input member '${key}' is unexpected` };
    }
  }
  if (execKey === undefined) return { ok: false, message: "QMP input lacks member 'execute'" };
  const name = req[execKey];
  const args = req['arguments'];
  return { ok: true, name: typeof name === 'string' ? name : '', oob: execKey === 'exec-oob', args: isRecord(args) ? (args as JsonObject) : {} };
}

export type CapabilitiesArgs = { readonly ok: true; readonly oob: boolean } | { readonly ok: false; readonly message: string };

/** qmp_capabilities' one optional member, `enable: ['oob']`, visited as QAPI does. */
export function checkCapabilities(args: JsonObject): CapabilitiesArgs {
  const enable = args['enable'];
  let oob = false;
  if (enable !== undefined) {
    if (!Array.isArray(enable)) return { ok: false, message: "Invalid parameter type for 'enable', expected: array" };
    for (const [i, cap] of (enable as readonly JsonValue[]).entries()) {
      if (typeof cap !== 'string') return { ok: false, message: `Invalid parameter type for 'enable[${i}]', expected: string` };
      if (cap !== 'oob') return { ok: false, message: `Parameter 'null' does not accept value '${cap}'` };
      oob = true;
    }
  }
  const extra = firstLeftover(qdictOrder(Object.keys(args)), enable === undefined ? [] : ['enable']);
  return extra === undefined ? { ok: true, oob } : { ok: false, message: `Parameter '${extra}' is unexpected` };
}
