// The processes below a pid, read from /proc: which daemons a run started, and whether they outlived it.
import { readFileSync, readdirSync } from 'node:fs';

interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
}

function all(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, comm: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Every process whose chain of parents reaches `root`. */
export function descendants(root: number): Proc[] {
  const procs = all();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return procs.filter((p) => {
    for (let q = byPid.get(p.ppid); q !== undefined; q = byPid.get(q.ppid)) if (q.pid === root) return true;
    return p.ppid === root;
  });
}

export function isRunning(pid: number): boolean {
  try {
    // a zombie has exited: only its parent's wait is missing
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
