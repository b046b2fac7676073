// Differences between two snapshots, one line each; list order (newest-first parents) is not compared.
import { definedKeys, sameJson } from '../qmp/json/same-json.ts';
import { wireJson } from '../qmp/json/wire-text.ts';
import type { GraphSnapshot, SnapEdge, SnapNode, SnapParent } from './snapshot.ts';

type Comparable = { readonly [k: string]: unknown };

function nodeForm(n: SnapNode): Comparable {
  return { ...n, parentEdges: [...n.parentEdges].sort() };
}

function edgeForm(e: SnapEdge): Comparable {
  return e as unknown as Comparable;
}

function keyedDiff<T>(what: string, a: readonly T[], b: readonly T[], key: (x: T) => string, form: (x: T) => Comparable): string[] {
  const before = new Map(a.map((x) => [key(x), form(x)]));
  const after = new Map(b.map((x) => [key(x), form(x)]));
  const out: string[] = [];
  for (const [k, x] of before) {
    const y = after.get(k);
    if (y === undefined) {
      out.push(`${what} removed: ${k}`);
      continue;
    }
    for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const l = wireJson(x[field]);
      const r = wireJson(y[field]);
      if (l !== r) out.push(`${what} ${k}: ${field} ${l} -> ${r}`);
    }
  }
  for (const k of after.keys()) if (!before.has(k)) out.push(`${what} added: ${k}`);
  return out;
}

const sameItems = (a: readonly string[], b: readonly string[]): boolean => a.every((x, i) => x === b[i]);

/** The same keys, whatever their order (a node's parents' list). */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && (sameItems(a, b) || sameItems([...a].sort(), [...b].sort()));
}

/** How sameNode compares each field; typed as a record of every SnapNode field, so a new field cannot be left out. */
const NODE_FIELDS: Readonly<Record<keyof SnapNode, 'value' | 'json' | 'set'>> = {
  id: 'value', name: 'value', listedAs: 'value', autoNamed: 'value', driver: 'value', readOnly: 'value', forceShare: 'value',
  options: 'json', state: 'json', driverGone: 'value', discard: 'value', optionsOldestFirst: 'value', size: 'value',
  filename: 'value', backingFile: 'value', isFilter: 'value', isFormat: 'value', supportsBacking: 'value',
  implicit: 'value', monitorOwned: 'value', closed: 'value', inheritsFrom: 'value', parentEdges: 'set',
};
/** Every field sameNode must read (snapshot-diff.test.ts changes each in turn). */
export const NODE_FIELD_NAMES = Object.keys(NODE_FIELDS) as readonly (keyof SnapNode)[];

/**
 * Two nodes alike field by field (as keyedDiff compares them) but for the order of their parents' list (newest first,
 * which is not compared). Field by field by name (a loop over field names made every read a keyed, megamorphic one):
 * it runs on every node of every step. The order is NODE_FIELDS': values, then JSON, then the parents' set.
 */
function sameNode(a: SnapNode, b: SnapNode): boolean {
  // === is stricter than the same text only for NaN, where the full diff then finds nothing: never wrongly "same"
  const values =
    a.id === b.id && a.name === b.name && a.listedAs === b.listedAs && a.autoNamed === b.autoNamed && a.driver === b.driver &&
    a.readOnly === b.readOnly && a.forceShare === b.forceShare && a.driverGone === b.driverGone && a.discard === b.discard &&
    a.optionsOldestFirst === b.optionsOldestFirst && a.size === b.size && a.filename === b.filename && a.backingFile === b.backingFile &&
    a.isFilter === b.isFilter && a.isFormat === b.isFormat && a.supportsBacking === b.supportsBacking && a.implicit === b.implicit &&
    a.monitorOwned === b.monitorOwned && a.closed === b.closed && a.inheritsFrom === b.inheritsFrom;
  return values && sameJson(a.options, b.options) && sameJson(a.state, b.state) && sameSet(a.parentEdges, b.parentEdges);
}

const sameParent = (a: SnapParent, b: SnapParent): boolean => a === b || (a.kind === b.kind && a.name === b.name && a.id === b.id);

/** How sameEdges compares each field, every SnapEdge field listed (as NODE_FIELDS). */
const EDGE_FIELDS: Readonly<Record<keyof SnapEdge, 'value' | 'parent' | 'json'>> = {
  key: 'value', parent: 'parent', declaredParent: 'parent', child: 'value', childId: 'value', name: 'value', role: 'json', perm: 'json', shared: 'json', frozen: 'value',
};
/** Every field sameEdge must read (snapshot-diff.test.ts changes each in turn). */
export const EDGE_FIELD_NAMES = Object.keys(EDGE_FIELDS) as readonly (keyof SnapEdge)[];

/** Field by field by name, in EDGE_FIELDS' order (as sameNode, for the same reason). */
function sameEdge(x: SnapEdge, y: SnapEdge): boolean {
  const json = (l: unknown, r: unknown): boolean => l === r || sameJson(l, r);
  return (
    x.key === y.key && sameParent(x.parent, y.parent) && sameParent(x.declaredParent, y.declaredParent) && x.child === y.child &&
    x.childId === y.childId && x.name === y.name && json(x.role, y.role) && json(x.perm, y.perm) && json(x.shared, y.shared) && x.frozen === y.frozen
  );
}

const sameEdges = (a: readonly SnapEdge[], b: readonly SnapEdge[]): boolean => a.length === b.length && a.every((x, i) => sameEdge(x, b[i]!));

/** Whether the snapshots are the same in what diffSnapshots compares (its text, nodes' fields by name and parents as a set). */
export function sameSnapshot(a: GraphSnapshot, b: GraphSnapshot): boolean {
  if (a === b) return true;
  const l = a as unknown as Comparable;
  const r = b as unknown as Comparable;
  const ak = definedKeys(l);
  const bk = definedKeys(r);
  if (ak.length !== bk.length || ak.some((k, i) => k !== bk[i])) return false;
  if (a.nodes.length !== b.nodes.length || a.nodes.some((n, i) => !sameNode(n, b.nodes[i]!))) return false;
  if (!sameEdges(a.edges, b.edges)) return false;
  return ak.every((k) => k === 'nodes' || k === 'edges' || sameJson(l[k], r[k]));
}

export function diffSnapshots(a: GraphSnapshot, b: GraphSnapshot): string[] {
  // nearly every failed command changes nothing: compare whole texts before looking field by field
  if (sameSnapshot(a, b)) return [];
  const out = [
    ...keyedDiff('node', a.nodes, b.nodes, (n) => n.name, nodeForm),
    ...keyedDiff('edge', a.edges, b.edges, (e) => e.key, edgeForm),
    ...keyedDiff('export', a.exports, b.exports, (x) => x.id, (x) => x),
    ...keyedDiff('throttle-group', a.throttleGroups, b.throttleGroups, (t) => t.id, (t) => t),
    ...keyedDiff('job', a.jobs, b.jobs, (j) => j.id, (j) => j),
  ];
  if (a.nbdServerRunning !== b.nbdServerRunning) out.push(`nbd server running: ${String(a.nbdServerRunning)} -> ${String(b.nbdServerRunning)}`);
  return out;
}
