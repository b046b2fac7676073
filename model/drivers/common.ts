// Facts several drivers share: a filter's length, truncate and reads follow its filtered child.
import { childEdge, driverLength, lengthBelow } from '../graph.ts';
import { OK } from '../result.ts';
import type { Driver, ReadAtZero } from './driver.ts';

/** A filter over child `edge`: its length, truncate (then refresh_total_sectors) and reads go there. */
export function filterOver(edge: string): Pick<Driver, 'length' | 'truncate' | 'readAtZero'> {
  return {
    length: (s, n) => lengthBelow(s, n.name, edge),
    truncate: (d, n, size, below) => {
      const c = childEdge(d, n.name, edge)?.child;
      if (c === undefined) return OK;
      const r = below(c, size);
      // the node the resize went through refreshes its length; its other parents keep theirs
      if (r.ok) n.size = driverLength(d, n.name);
      return r;
    },
    readAtZero: (): ReadAtZero => ({ kind: 'child', edge }),
  };
}
