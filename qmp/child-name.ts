// Child names with an index (quorum's `children.N`): made and read here only.

export type IndexedChildName = `children.${number}`;

const PREFIX = 'children.';

export function indexedChild(index: number): IndexedChildName {
  return `${PREFIX}${index}`;
}

/** N of `children.N`; undefined for any other child name. */
export function childIndex(name: string): number | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const n = Number(name.slice(PREFIX.length));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function isIndexedChild(name: string): name is IndexedChildName {
  return childIndex(name) !== undefined;
}
