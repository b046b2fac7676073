// Reads one command template of a universe file: JSON with `$` placeholders and `{"$one-of": …}`-style directives.
import { JOB_FILTER_NAMES, USER_DRIVER_NAMES } from '../../qmp/driver-name.ts';
import { isJsonValue, isRecord } from '../../qmp/json-value.ts';
import type { FieldCheck } from '../fixtures/field-check.ts';
import { JOB_STATES, NODE_SHAPES } from './universe.ts';
import type { NodeFilter, Ref, Template } from './universe.ts';

const DRIVERS: readonly string[] = [...USER_DRIVER_NAMES, ...JOB_FILTER_NAMES];
const SIMPLE: Readonly<Record<string, Ref>> = {
  $fresh: { kind: 'fresh' },
  $absent: { kind: 'absent' },
  '$fresh-job': { kind: 'fresh-job' },
  $export: { kind: 'export' },
  '$fresh-export': { kind: 'fresh-export' },
  $image: { kind: 'image', format: undefined },
  '$image:qcow2': { kind: 'image', format: 'qcow2' },
  '$image:raw': { kind: 'image', format: 'raw' },
  $job: { kind: 'job', status: undefined },
};

/** Where a template sits: its path for messages, and the sibling members already read (what `$below:KEY` may name). */
interface At {
  readonly path: string;
  readonly siblings: readonly string[];
  /** An object member may be left out; a list item or the whole arguments may not. */
  readonly member: boolean;
}

const LITERAL_NULL: Template = { t: 'literal', value: null };

function nodeFilter(c: FieldCheck, word: string, at: string): NodeFilter {
  if (NODE_SHAPES.some((s) => s === word)) return { kind: 'shape', shape: NODE_SHAPES.find((s) => s === word) ?? 'root' };
  if (DRIVERS.includes(word)) return { kind: 'driver', driver: word };
  c.fail(`${at}: unknown node filter '${word}' (a driver: ${DRIVERS.join(', ')}; or a shape: ${NODE_SHAPES.join(', ')})`);
  return { kind: 'shape', shape: 'root' };
}

function siblingKey(c: FieldCheck, key: string, at: At, text: string): string {
  if (!at.siblings.includes(key)) c.fail(`${at.path}: '${text}' names '${key}', which is no earlier member of the same object`);
  return key;
}

export function parseRef(c: FieldCheck, text: string, at: At): Ref {
  const simple = SIMPLE[text];
  if (simple !== undefined) {
    if (simple.kind === 'absent' && !at.member) c.fail(`${at.path}: '$absent' only leaves out an object member`);
    return simple;
  }
  const [head = '', arg] = text.split(/:(.*)/s, 2);
  switch (head) {
    case '$node':
      return { kind: 'node', filters: arg === undefined ? [] : arg.split(',').map((w) => nodeFilter(c, w, at.path)) };
    case '$job': {
      const status = JOB_STATES.find((s) => s === arg);
      if (status === undefined) c.fail(`${at.path}: unknown job status '${arg ?? ''}' (one of ${JOB_STATES.join(', ')})`);
      return { kind: 'job', status };
    }
    case '$below':
    case '$subgraph':
    case '$other':
    case '$child': {
      const key = siblingKey(c, arg ?? '', at, text);
      if (head === '$other') return { kind: 'other', key };
      if (head === '$child') return { kind: 'child', key };
      return { kind: 'below', key, along: head === '$below' ? 'chain' : 'subgraph' };
    }
    default:
      c.fail(`${at.path}: unknown placeholder '${text}' (write '$$' for a string starting with '$')`);
      return { kind: 'absent' };
  }
}

function directive(c: FieldCheck, v: Readonly<Record<string, unknown>>, at: At): Template {
  const keys = Object.keys(v);
  if ('$one-of' in v) {
    c.record(v, at.path, ['$one-of']);
    const list = v['$one-of'];
    if (!Array.isArray(list) || list.length === 0) {
      c.fail(`${at.path}.$one-of: expected a non-empty list`);
      return LITERAL_NULL;
    }
    return { t: 'one-of', choices: list.map((x, i) => parseTemplate(c, x, { ...at, path: `${at.path}.$one-of[${i}]` })) };
  }
  if ('$size-of' in v) {
    c.record(v, at.path, ['$size-of', 'times', 'plus']);
    const key = siblingKey(c, c.str(v['$size-of'], `${at.path}.$size-of`), at, '$size-of');
    const times = v['times'] ?? 1;
    const plus = v['plus'] ?? 0;
    if (typeof times !== 'number' || !(times >= 0)) c.fail(`${at.path}.times: expected a number >= 0`);
    if (typeof plus !== 'number' || !Number.isSafeInteger(plus)) c.fail(`${at.path}.plus: expected an integer`);
    return { t: 'size-of', key, times: typeof times === 'number' ? times : 1, plus: typeof plus === 'number' ? plus : 0 };
  }
  if ('$restate' in v) {
    c.record(v, at.path, ['$restate', 'set']);
    const node = parseTemplate(c, v['$restate'], { ...at, path: `${at.path}.$restate`, member: false });
    const set = parseTemplate(c, v['set'] ?? {}, { path: `${at.path}.set`, siblings: [], member: false });
    if (set.t !== 'object') c.fail(`${at.path}.set: expected an object`);
    return { t: 'restate', node, set: set.t === 'object' ? set : { t: 'object', members: [] } };
  }
  c.fail(`${at.path}.${keys.find((k) => k.startsWith('$')) ?? ''}: unknown directive (one of $one-of, $size-of, $restate)`);
  return LITERAL_NULL;
}

/** A template from JSON; problems go to `c`, naming the field (`commands[3].arguments.file.$one-of[1]`). */
export function parseTemplate(c: FieldCheck, v: unknown, at: At): Template {
  if (typeof v === 'string') {
    if (v.startsWith('$$')) return { t: 'literal', value: v.slice(1) };
    return v.startsWith('$') ? { t: 'ref', ref: parseRef(c, v, at) } : { t: 'literal', value: v };
  }
  if (Array.isArray(v)) {
    return { t: 'list', items: v.map((x, i) => parseTemplate(c, x, { path: `${at.path}[${i}]`, siblings: at.siblings, member: false })) };
  }
  if (isRecord(v)) {
    if (Object.keys(v).some((k) => k.startsWith('$'))) return directive(c, v, at);
    const members: { key: string; value: Template }[] = [];
    for (const [key, x] of Object.entries(v)) {
      members.push({ key, value: parseTemplate(c, x, { path: `${at.path}.${key}`, siblings: members.map((m) => m.key), member: true }) });
    }
    return { t: 'object', members };
  }
  if (!isJsonValue(v)) c.fail(`${at.path}: expected a JSON value`);
  return { t: 'literal', value: isJsonValue(v) ? v : null };
}

/** Every literal string in a template (the parser checks none is a pool node name: renaming must stay sound). */
export function literalStrings(t: Template): string[] {
  switch (t.t) {
    case 'literal':
      return jsonStrings(t.value);
    case 'object':
      return t.members.flatMap((m) => [m.key, ...literalStrings(m.value)]);
    case 'list':
      return t.items.flatMap(literalStrings);
    case 'one-of':
      return t.choices.flatMap(literalStrings);
    case 'restate':
      return [...literalStrings(t.node), ...literalStrings(t.set)];
    case 'ref':
    case 'size-of':
      return [];
  }
}

function jsonStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(jsonStrings);
  if (isRecord(v)) return Object.entries(v).flatMap(([k, x]) => [k, ...jsonStrings(x)]);
  return [];
}
