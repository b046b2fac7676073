// Every command a universe offers in one state: each template's placeholders replaced by every value they stand for.
import type { JsonObject, JsonValue, QmpCommand } from '../../qmp/types.ts';
import type { GenState } from '../generate/command-kind.ts';
import { chainBelow, childEdgesOf, namedNodes, parentEdgesOf, subgraphBelow } from '../generate/gen-state.ts';
import { restateOptions } from '../generate/restate-options.ts';
import type { SnapNode } from '../snapshot.ts';
import type { NodeFilter, Ref, Template, Universe, WhenCondition } from './universe.ts';

export interface UniverseCommand {
  readonly kind: string;
  readonly command: QmpCommand;
}

/** One way a template came out: its value (undefined: the member is left out) and how many fresh names it took. */
interface Alt<T> {
  readonly value: T;
  readonly fresh: number;
}

interface Ctx {
  readonly s: GenState;
  readonly u: Universe;
  readonly freeNames: readonly string[];
}

const SECTOR = 512;

function matches(s: GenState, n: SnapNode, f: NodeFilter): boolean {
  if (f.kind === 'driver') return n.driver === f.driver;
  switch (f.shape) {
    case 'root':
      return parentEdgesOf(s, n).every((e) => e.parent.kind === 'backend');
    case 'free':
      return parentEdgesOf(s, n).length === 0;
    case 'has-chain':
      return chainBelow(s, n).length > 0;
    case 'filter':
      return n.isFilter;
    case 'format':
      return n.isFormat;
  }
}

function nodeNamed(c: Ctx, name: JsonValue | undefined): SnapNode | undefined {
  return typeof name === 'string' ? namedNodes(c.s).find((n) => n.name === name) : undefined;
}

const firstFree = (pool: readonly string[], used: readonly string[]): string[] => pool.filter((x) => !used.includes(x)).slice(0, 1);

function refValues(c: Ctx, r: Ref, bound: ReadonlyMap<string, JsonValue>): readonly JsonValue[] {
  const names = (ns: readonly SnapNode[]): string[] => ns.filter((n) => !n.autoNamed).map((n) => n.name);
  switch (r.kind) {
    case 'fresh':
    case 'absent':
      throw new Error(`refValues: ${r.kind} is handled by its caller`);
    case 'node':
      return names(namedNodes(c.s).filter((n) => r.filters.every((f) => matches(c.s, n, f))));
    case 'below': {
      const n = nodeNamed(c, bound.get(r.key));
      return n === undefined ? [] : names(r.along === 'chain' ? chainBelow(c.s, n) : subgraphBelow(c.s, n));
    }
    case 'other':
      return names(namedNodes(c.s).filter((n) => n.name !== bound.get(r.key)));
    case 'child': {
      const n = nodeNamed(c, bound.get(r.key));
      return n === undefined ? [] : childEdgesOf(c.s, n).map((e) => e.name);
    }
    case 'image':
      return c.u.images.filter((i) => r.format === undefined || i.format === r.format).map((i) => i.filename);
    case 'job':
      return c.s.snapshot.jobs.filter((j) => r.status === undefined || j.status === r.status).map((j) => j.id);
    case 'fresh-job':
      return firstFree(c.u.jobIds, c.s.snapshot.jobs.map((j) => j.id));
    case 'export':
      return c.s.snapshot.exports.map((x) => x.id);
    case 'fresh-export':
      return firstFree(c.u.exportIds, c.s.snapshot.exports.map((x) => x.id));
  }
}

type Members = readonly (readonly [string, JsonValue | undefined])[];

/** An object's members in order, every combination of their values; later members see earlier ones' values. */
function expandMembers(c: Ctx, t: Extract<Template, { t: 'object' }>, fresh: number): Alt<Members>[] {
  let alts: { members: Members; fresh: number; bound: ReadonlyMap<string, JsonValue> }[] = [{ members: [], fresh, bound: new Map() }];
  for (const m of t.members) {
    alts = alts.flatMap((a) =>
      expand(c, m.value, a.bound, a.fresh).map((x) => ({
        members: [...a.members, [m.key, x.value] as const],
        fresh: x.fresh,
        bound: x.value === undefined ? a.bound : new Map([...a.bound, [m.key, x.value]]),
      })),
    );
  }
  return alts.map((a) => ({ value: a.members, fresh: a.fresh }));
}

function objectOf(members: Members, base: JsonObject = {}): JsonObject {
  const out: Record<string, JsonValue> = { ...base };
  for (const [k, v] of members) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function expand(c: Ctx, t: Template, bound: ReadonlyMap<string, JsonValue>, fresh: number): Alt<JsonValue | undefined>[] {
  switch (t.t) {
    case 'literal':
      return [{ value: t.value, fresh }];
    case 'ref': {
      if (t.ref.kind === 'absent') return [{ value: undefined, fresh }];
      if (t.ref.kind === 'fresh') {
        const name = c.freeNames[fresh];
        return name === undefined ? [] : [{ value: name, fresh: fresh + 1 }];
      }
      return refValues(c, t.ref, bound).map((value) => ({ value, fresh }));
    }
    case 'one-of':
      return t.choices.flatMap((x) => expand(c, x, bound, fresh));
    case 'object':
      return expandMembers(c, t, fresh).map((a) => ({ value: objectOf(a.value), fresh: a.fresh }));
    case 'list': {
      let alts: Alt<readonly JsonValue[]>[] = [{ value: [], fresh }];
      for (const item of t.items) {
        alts = alts.flatMap((a) => expand(c, item, bound, a.fresh).flatMap((x) => (x.value === undefined ? [] : [{ value: [...a.value, x.value], fresh: x.fresh }])));
      }
      return alts;
    }
    case 'size-of': {
      const n = nodeNamed(c, bound.get(t.key));
      return n === undefined ? [] : [{ value: Math.round((n.size * t.times) / SECTOR) * SECTOR + t.plus, fresh }];
    }
    case 'restate':
      return expand(c, t.node, bound, fresh).flatMap((a) => {
        const n = nodeNamed(c, a.value);
        if (n === undefined) return [];
        const base = restateOptions(c.s.snapshot, n);
        return expandMembers(c, t.set, a.fresh).map((m) => ({ value: objectOf(m.value, base), fresh: m.fresh }));
      });
  }
}

function holds(s: GenState, w: WhenCondition): boolean {
  switch (w) {
    case 'nbd-server-running':
      return s.snapshot.nbdServerRunning;
    case 'nbd-server-stopped':
      return !s.snapshot.nbdServerRunning;
  }
}

/** The universe's commands in this state, template by template, each command once. */
export function universeCommands(u: Universe, s: GenState): UniverseCommand[] {
  const used = new Set(s.snapshot.nodes.map((n) => n.name));
  const c: Ctx = { s, u, freeNames: u.nodeNames.filter((n) => !used.has(n)) };
  const seen = new Set<string>();
  const out: UniverseCommand[] = [];
  for (const tpl of u.commands) {
    if (!tpl.when.every((w) => holds(s, w))) continue;
    for (const a of expand(c, tpl.arguments, new Map(), 0)) {
      if (a.value === undefined) continue;
      const command: QmpCommand = { execute: tpl.execute, arguments: a.value };
      const key = JSON.stringify(command);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ kind: tpl.kind, command });
    }
  }
  return out;
}
