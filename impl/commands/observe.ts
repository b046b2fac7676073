// Observation steps (qmp/observation.ts) on the impl: the node is exported read-only as QEMU's side of the runner does
// (so the same permission conflicts refuse it), what the export serves is computed by 7.2's rules, and the export
// (and the NBD server, if the scenario had none) is gone again before the step ends.
import { NOT_MODELLED, READ_FAILED, type ObservationName } from '../../qmp/observation.ts';
import { statusFollowed } from '../core/served-followed.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { toJsonValue } from '../../qmp/json-value.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { nodeLength } from '../core/length.ts';
import { dieNow } from '../core/qemu-dies.ts';
import { fail, ok, type Result } from '../core/result.ts';
import { clientRefuses, servedExtents } from '../core/served-nbd.ts';
import { convertRead } from '../core/served-checksum.ts';
import { isModelled } from '../images/bytes.ts';
import { blockExportAdd, blockExportDel } from './exports.ts';

const EXPORT_ID = 'bgcheck-observe';

export function observe(env: BlockEnv, kind: ObservationName, args: JsonObject): Result<JsonValue> {
  const node = args['node-name'];
  if (typeof node !== 'string') return fail('invalid-param', "Invalid parameter 'node-name'");
  const ownServer = !env.nbdServerRunning;
  env.nbdServerRunning = true;
  try {
    const added = blockExportAdd(env, { type: 'nbd', id: EXPORT_ID, 'node-name': node, name: EXPORT_ID, 'allocation-depth': true });
    if (!added.ok) return added;
    const exported = env.exports.get(EXPORT_ID);
    const bs = env.graph.nodes.get(node) ?? exported?.backend.edges[0]?.child;
    try {
      if (!bs) return fail('not-found', `Cannot find device='' nor node-name='${node}'`);
      if (clientRefuses(bs)) return fail('io-error', READ_FAILED);
      if (kind === 'observe-block-status') {
        const why = statusFollowed(env, bs);
        return ok(why === undefined ? toJsonValue(servedExtents(env, bs)) : { [NOT_MODELLED]: why });
      }
      const length = nodeLength(bs);
      const r = convertRead(env, bs);
      if (r.kind === 'exit') dieNow(r.death);
      if (r.kind === 'eio') return fail('io-error', READ_FAILED);
      return ok({ length, sha256: isModelled(r.bytes) ? env.checksums.sha256(r.bytes) : NOT_MODELLED });
    } finally {
      blockExportDel(env, { id: EXPORT_ID });
    }
  } finally {
    if (ownServer) env.nbdServerRunning = false;
  }
}
