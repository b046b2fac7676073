// bdrv_open for blockdev-add and nested children: each child is attached and checked as it is opened, in QEMU's
// order, so the first problem is the one reported.
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { chainLinks, checkGraph, notFrozen } from './check.ts';
import { attach } from './edit.ts';
import { childEdge, driverLength, headerName, imageBelow, isFilter, isId, isObject, lengthOf, lookup, node, num, str } from './graph.ts';
import { COW_ROLE, DATA, DATA_PRIMARY, FILTERED, IMAGE } from './perm-rules.ts';
import type { RoleSpec } from './perm-rules.ts';
import { stripChildren, checkWindow } from './reopen.ts';
import { OK, fail, ok, seq } from './result.ts';
import type { Result } from './result.ts';
import type { ModelState } from './state.ts';

const PROTOCOLS = ['file', 'null-co'];

/** What a nested child takes from the parent opening it (bdrv_inherited_options). */
interface Inherit {
  readonly parent: string;
  readonly readOnly: boolean;
  readonly forceShare: boolean;
}

export function checkNodeName(s: ModelState, name: string): Result {
  if (!isId(name)) return fail('invalid-param', `Invalid node-name: '${name}'`);
  if (s.nodes.some((n) => n.name === name)) return fail('duplicate', `Duplicate nodes with node-name='${name}'`);
  return name.length >= 32 ? fail('invalid-param', 'Node name too long') : OK;
}

export function autoName(s: ModelState): string {
  return `#block${String(s.nextAuto++).padStart(3, '0')}`;
}

/** A reference names an existing node; a dict opens a new one that inherits from `parent`. */
function openValue(d: ModelState, v: JsonValue, parent: { name: string; readOnly: boolean; forceShare: boolean }, role: RoleSpec): Result<string> {
  if (typeof v === 'string') {
    const n = lookup(d, v);
    return n.ok ? ok(n.value.name) : n;
  }
  const inherit = { parent: parent.name, readOnly: role.kind === 'cow' || parent.readOnly, forceShare: parent.forceShare };
  return openNode(d, v as JsonObject, inherit);
}

export function openNode(d: ModelState, args: JsonObject, inh?: Inherit): Result<string> {
  const driver = str(args, 'driver') ?? '';
  const given = str(args, 'node-name');
  const me = {
    name: given ?? autoName(d),
    readOnly: typeof args['read-only'] === 'boolean' ? args['read-only'] : inh?.readOnly ?? false,
    forceShare: typeof args['force-share'] === 'boolean' ? args['force-share'] : inh?.forceShare ?? false,
  };
  // a format node's `file` is opened (probed) before the node takes its name
  let file: string | undefined;
  if (!PROTOCOLS.includes(driver) && (typeof args['file'] === 'string' || isObject(args['file']))) {
    const f = openValue(d, args['file'], me, IMAGE);
    if (!f.ok) return f;
    file = f.value;
  }
  const pre = seq(
    () => (me.forceShare && !me.readOnly ? fail('invalid-param', 'force-share=on can only be used with read-only images') : OK),
    () => (given === undefined ? OK : checkNodeName(d, given)),
    () => (args['detect-zeroes'] === 'unmap' && args['discard'] !== 'unmap' ? fail('invalid-param', 'detect-zeroes=unmap needs discard=unmap') : OK),
  );
  if (!pre.ok) return pre;
  // an inherited force-share lands in the child's own options (qdict_copy_default), so a reopen must restate it
  const opts = me.forceShare && args['force-share'] === undefined ? { ...stripChildren(args), 'force-share': true } : stripChildren(args);
  d.nodes.push({ ...me, auto: given === undefined, driver, opts, owned: false, inheritsFrom: inh?.parent ?? null, implicit: false });
  const child = (key: string, role: RoleSpec, name = key, v: JsonValue | undefined = args[key]): Result => {
    const c = key === 'file' && file !== undefined ? ok(file) : v === undefined ? ok(undefined) : openValue(d, v, me, role);
    if (!c.ok || c.value === undefined) return c;
    const target = c.value;
    return seq(() => attach(d, me.name, target, name, role), () => checkGraph(d, [me.name]));
  };
  const opened = openDriver(d, me.name, args, child);
  if (!opened.ok) return opened;
  // bdrv_open_driver: refresh_total_sectors
  node(d, me.name).size ??= driverLength(d, me.name);
  return driver === 'qcow2' ? openBacking(d, me, args['backing'], child) : ok(me.name);
}

type OpenChild = (key: string, role: RoleSpec, name?: string, v?: JsonValue) => Result;

function openDriver(d: ModelState, name: string, args: JsonObject, child: OpenChild): Result {
  const has = (edge: string): string | undefined => d.edges.find((e) => e.parent === name && e.name === edge)?.child;
  switch (str(args, 'driver')) {
    case 'file': {
      const image = d.images[str(args, 'filename') ?? ''];
      if (!image) return fail('io-error', `Could not open '${str(args, 'filename') ?? ''}': No such file or directory`);
      node(d, name).size = Math.ceil(image.length / 512) * 512;
      return OK;
    }
    case 'null-co':
      // 7.2 aborts here (error_abort in parse_option_size); a negative size is simply invalid
      return (num(args, 'size') ?? 0) < 0 ? fail('invalid-param', "Parameter 'size' expects a non-negative number below 2^64") : OK;
    case 'raw': {
      const offset = num(args, 'offset');
      const size = num(args, 'size');
      if ((offset ?? 0) < 0 || (size ?? 0) < 0) return fail('invalid-param', 'offset and size must not be negative');
      const window = (offset !== undefined && offset !== 0) || size !== undefined;
      return seq(
        () => child('file', window ? DATA_PRIMARY : FILTERED),
        () => checkWindow(lengthOf(d, has('file') ?? ''), offset, size),
      );
    }
    case 'qcow2':
      return seq(
        () => child('file', IMAGE),
        () => {
          // the header is whatever a read through bs->file returns
          const image = imageBelow(d, has('file') ?? '');
          if (image === undefined) return fail('io-error', 'Could not read qcow2 header: Input/output error');
          const header = d.images[image ?? ''];
          if (header?.format !== 'qcow2' || image === null) return fail('invalid-param', 'Image is not in qcow2 format');
          Object.assign(node(d, name), { image, size: header.virtualSize, backingFile: header.backingFile, autoBacking: header.backingFile });
          return OK;
        },
      );
    case 'throttle':
      return seq(
        () => child('file', FILTERED),
        () => (d.groups.includes(str(args, 'throttle-group') ?? '') ? OK : fail('not-found', `Throttle group '${str(args, 'throttle-group') ?? ''}' does not exist`)),
      );
    case 'copy-on-read':
      return seq(
        () => child('file', FILTERED),
        () => {
          const bottom = str(args, 'bottom');
          if (bottom === undefined) return OK;
          const b = d.nodes.find((n) => n.name === bottom);
          if (!b) return fail('not-found', `Bottom node '${bottom}' not found`);
          if (isFilter(b.driver)) return fail('invalid-param', `Bottom node '${bottom}' is a filter`);
          return notFrozen(d, chainLinks(d, name, bottom), name);
        },
      );
    case 'blkdebug': {
      const align = num(args, 'align') ?? 0;
      return seq(
        () => (str(args, 'config') === undefined || d.images[str(args, 'config') ?? ''] ? OK : fail('io-error', 'Could not read blkdebug config file')),
        () => child('image', FILTERED),
        () => (align === 0 || (align < 2 ** 31 - 1 && (align & (align - 1)) === 0) ? OK : fail('invalid-param', `Cannot meet constraints with align ${align}`)),
      );
    }
    case 'blkverify':
      return seq(
        () => child('raw', FILTERED),
        () => child('test', DATA),
      );
    case 'quorum':
      return openQuorum(d, name, args, child);
    default:
      return fail('invalid-param', `Unknown driver '${str(args, 'driver') ?? ''}'`);
  }
}

function openQuorum(d: ModelState, name: string, args: JsonObject, child: OpenChild): Result {
  const children = (args['children'] as readonly JsonValue[] | undefined) ?? [];
  const threshold = num(args, 'vote-threshold') ?? 0;
  // with read-pattern=fifo quorum ignores blkverify and rewrite-corrupted
  const fifo = args['read-pattern'] === 'fifo';
  const verify = !fifo && args['blkverify'] === true;
  if (children.length < 1) return fail('invalid-param', 'Number of provided children must be 1 or more');
  if (threshold < 1) return fail('invalid-param', "Parameter 'vote-threshold' expects a value >= 1");
  if (threshold > children.length) return fail('invalid-param', 'threshold may not exceed children count');
  if (verify && (children.length !== 2 || threshold !== 2)) return fail('invalid-param', 'blkverify=on needs exactly two children and vote-threshold 2');
  if (verify && !fifo && args['rewrite-corrupted'] === true) return fail('invalid-param', 'rewrite-corrupted=on cannot be used with blkverify=on');
  for (const [i, c] of children.entries()) {
    const r = child('children', DATA, `children.${i}`, c);
    if (!r.ok) return r;
  }
  // quorum's length is its children's, which must agree (quorum_co_getlength)
  const lengths = new Set(d.edges.filter((e) => e.parent === name).map((e) => lengthOf(d, e.child)));
  if (lengths.size > 1) return fail('io-error', 'Could not refresh total sector count: Input/output error');
  node(d, name).nextChild = children.length;
  return OK;
}

/** bdrv_find_protocol and the protocol's parse_filename: "blkdebug:CONFIG:IMAGE", "null-co://", else a file. */
function protocolOptions(name: string): JsonObject {
  if (name === 'null-co://') return { driver: 'null-co' };
  const json = name.startsWith('json:') ? (JSON.parse(name.slice('json:'.length)) as JsonValue) : undefined;
  if (isObject(json)) return json;
  const c = name.startsWith('blkdebug:') ? name.indexOf(':', 'blkdebug:'.length) : -1;
  if (c < 0) return { driver: 'file', filename: name };
  const config = name.slice('blkdebug:'.length, c);
  return { driver: 'blkdebug', ...(config === '' ? {} : { config }), image: protocolOptions(name.slice(c + 1)) };
}

/** The images whose header-named backing files are being opened, outermost first. */
const opening: string[] = [];

/** bdrv_open_backing_file: a reference, a nested dict, null, or what the image header names. */
function openBacking(d: ModelState, me: { name: string }, value: JsonValue | undefined, child: OpenChild): Result<string> {
  const header = d.images[node(d, me.name).image ?? ''];
  const file = header?.backingFile === undefined ? undefined : protocolOptions(header.backingFile);
  // json:{...} names the options themselves (parse_json_filename), the header's format winning over their driver
  const json: JsonObject | undefined = header?.backingFile?.startsWith('json:') === true && file !== undefined ? { ...file, driver: header.backingFormat ?? file['driver'] ?? 'qcow2' } : undefined;
  // a protocol driver named as the format opens the file name itself
  // backing format "file": bdrv_fill_options hands the name to the file driver itself (raw_parse_filename strips "file:")
  const asFile: JsonObject | undefined = header?.backingFile !== undefined && json === undefined && header.backingFormat === 'file'
    ? { driver: 'file', filename: header.backingFile.startsWith('file:') ? header.backingFile.slice('file:'.length) : header.backingFile }
    : undefined;
  const fromHeader = json ?? asFile ?? (file === undefined ? undefined : file['driver'] !== 'file' && file['driver'] === header?.backingFormat ? file : { driver: header?.backingFormat ?? 'qcow2', file });
  const spec = value === undefined ? fromHeader : value;
  if (spec === undefined || spec === null) return ok(me.name);
  // a header naming an image this open already passes through would be opened forever (7.2 dies of it); whatever
  // fails on the way there (a lock) fails first
  const mine = node(d, me.name).image ?? '';
  // only a qcow2 level reads a header again: a backing format like "file" or "raw" opens no further
  // a json: name opens the image its `file` names
  const jsonImage = json !== undefined && isObject(json['file']) ? str(json['file'], 'filename') : undefined;
  const f = value === undefined && (header?.backingFormat ?? 'qcow2') === 'qcow2' ? (jsonImage ?? header?.backingFile) : undefined;
  if (f !== undefined && (f === mine || opening.includes(f))) {
    // the file the loop comes back to is opened once more (its lock may fail) before the recursion runs away
    const first = isObject(spec) ? child('backing', COW_ROLE, 'backing', { ...spec, backing: null }) : undefined;
    if (first && !first.ok) return { ok: false, error: { ...first.error, message: `Could not open backing file: ${first.error.message}` } };
    return fail('cycle', `The backing files named by '${me.name}' form a loop through '${f}'`);
  }
  if (isObject(spec) && value !== undefined && header?.backingFile !== undefined && typeof spec['file'] === 'string') {
    return fail('invalid-param', 'Could not open backing file: Cannot reference an existing block device with additional options or a new filename');
  }
  // only a header-named backing file is part of a loop: an explicit one starts afresh
  if (f !== undefined) opening.push(mine);
  try {
    const r = child('backing', COW_ROLE, 'backing', spec);
    // a backing opened from the header is by definition the one it names
    const opened = childEdge(d, me.name, 'backing')?.child;
    if (r.ok && value === undefined && opened !== undefined) node(d, me.name).autoBacking = headerName(d, opened);
    return r.ok ? ok(me.name) : { ok: false, error: { ...r.error, message: `Could not open backing file: ${r.error.message}` } };
  } finally {
    if (f !== undefined) opening.pop();
  }
}
