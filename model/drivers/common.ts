// What filters share: their length, truncate and reads follow the filtered child.
import { childEdge, driverLength, lengthBelow } from '../graph.ts';
import { OK } from '../result.ts';
import type { Driver } from './driver.ts';

export const filterOver = (edge: string): Pick<Driver, 'length' | 'truncate' | 'readAtZero'> => ({
  length: (s, n) => lengthBelow(s, n.name, edge),
  truncate: (d, n, size, below) => {
    const c = childEdge(d, n.name, edge)?.child;
    const r = c === undefined ? OK : below(c, size);
    // the node the resize went through refreshes its length; its other parents keep theirs
    if (r.ok) n.size = driverLength(d, n.name);
    return r;
  },
  readAtZero: () => ({ kind: 'child', edge }),
});
