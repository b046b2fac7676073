// Path options checked before any run: a bad one is exit 2 at once, never a stack trace after an hour's work.
import { accessSync, constants, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type PathCheck = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

const why = (e: unknown): string => (typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : e instanceof Error ? e.message : String(e));

/** mkdir -p one level at a time: Node's recursive mkdir loops forever where a pseudo-fs (/proc) answers ENOENT. */
function makeDirs(abs: string): void {
  const missing: string[] = [];
  for (let p = abs; statSync(p, { throwIfNoEntry: false }) === undefined && dirname(p) !== p; p = dirname(p)) missing.unshift(p);
  for (const p of missing) mkdirSync(p);
}

/** A directory we will write into: made if missing, then proven writable by making and removing an entry in it. */
export function writableDir(path: string, option: string): PathCheck {
  const abs = resolve(path);
  try {
    const st = statSync(abs, { throwIfNoEntry: false });
    if (st !== undefined && !st.isDirectory()) return { ok: false, message: `${option} ${path}: not a directory` };
    if (st === undefined) makeDirs(abs);
  } catch (e) {
    return { ok: false, message: `${option} ${path}: cannot create it (${why(e)})` };
  }
  // access() says yes to root on a read-only mount: really write
  const probe = join(abs, `.bgcheck-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (e) {
    return { ok: false, message: `${option} ${path}: not writable (${why(e)})` };
  }
  return { ok: true, path: abs };
}

/** A directory we will read files from. */
export function readableDir(path: string, option: string): PathCheck {
  const abs = resolve(path);
  try {
    if (!statSync(abs).isDirectory()) return { ok: false, message: `${option} ${path}: not a directory` };
    accessSync(abs, constants.R_OK | constants.X_OK);
  } catch (e) {
    return { ok: false, message: `${option} ${path}: cannot read it (${why(e)})` };
  }
  return { ok: true, path: abs };
}
