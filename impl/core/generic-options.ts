// Checks on the generic block options every driver takes (bdrv_parse_detect_zeroes and friends).
import type { JsonObject } from '../../qmp/types.ts';
import { OK, fail, ok } from './result.ts';
import type { Result } from './result.ts';
import { qdictOrder } from '../../qmp/qdict-order.ts';
import type { Driver } from '../drivers/driver.ts';
import type { DiscardMode } from './graph.ts';

/** bdrv_parse_discard_flags: QAPI passes ignore|unmap, a json: name may say off|on too; undefined: not given. */
export function discardOption(options: JsonObject): Result<DiscardMode | undefined> {
  const v = options['discard'];
  if (v === undefined) return ok(undefined);
  if (v === 'ignore' || v === 'off') return ok('ignore');
  if (v === 'unmap' || v === 'on') return ok('unmap');
  return fail('invalid-param', 'Invalid discard option');
}

/** bdrv_parse_detect_zeroes: `discard` is the node's mode after its own `discard` option was parsed. */
export function checkDetectZeroes(options: JsonObject, discard: DiscardMode): Result<void> {
  if (options['detect-zeroes'] === 'unmap' && discard !== 'unmap') {
    return fail('invalid-param', 'setting detect-zeroes to unmap is not allowed without setting discard operation to unmap');
  }
  return OK;
}

/** bdrv_open_inherit's last check: qdict_flatten keeps empty lists, and no driver consumes them. */
export function checkLeftoverOptions(driver: Driver, options: JsonObject): Result<void> {
  const left = qdictOrder(Object.keys(options)).find((k) => {
    const v = options[k];
    return Array.isArray(v) && v.length === 0;
  });
  if (left === undefined) return OK;
  // drivers with bdrv_file_open: bdrv_fill_options marks their opens BDRV_O_PROTOCOL, which picks the wording
  return driver.fileOpen === true
    ? fail('invalid-param', `Block protocol '${driver.name}' doesn't support the option '${left}'`)
    : fail('invalid-param', `Block format '${driver.name}' does not support the option '${left}'`);
}
