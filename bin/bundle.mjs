// The CLI and its worker threads as plain JavaScript, bundled by esbuild and rebuilt whenever a source file changed:
// tsx compiles every module on a loader thread in each worker and wraps every function it creates (keepNames),
// about a fifth of a fuzz campaign's CPU. Anything that goes wrong here means tsx runs the sources as before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The modules a process or a worker thread starts from (worker-entry.mjs maps a worker's .ts onto its bundle). */
const ENTRIES = ['cli/bgcheck.ts', 'properties/fuzz/fuzz-worker.ts', 'properties/explore/explore-worker.ts'];
/** Older builds are removed once nothing can still be starting workers from them. */
const KEEP_OLD_MS = 3_600_000;

/** The directory of an up-to-date bundle of the sources under `root` (built now if needed), or undefined: use tsx. */
export async function bundled(root) {
  if (process.env.BGCHECK_TSX === '1') return undefined;
  try {
    const real = realpathSync(root);
    // one cache per checkout: worktrees may share one node_modules
    const base = join(real, 'node_modules', '.cache', 'bgcheck', createHash('sha256').update(real).digest('hex').slice(0, 12));
    return fresh(base) ?? (await build(real, base));
  } catch {
    return undefined;
  }
}

/** The current build's directory if every source it was built from is unchanged. */
function fresh(base) {
  const current = join(base, 'current.json');
  if (!existsSync(current)) return undefined;
  const { dir, inputs } = JSON.parse(readFileSync(current, 'utf8'));
  for (const [file, mtimeMs] of Object.entries(inputs)) {
    if (!existsSync(file) || statSync(file).mtimeMs !== mtimeMs) return undefined;
  }
  return existsSync(dir) ? dir : undefined;
}

async function build(root, base) {
  const { build: esbuild } = await import('esbuild');
  const started = Date.now();
  const dir = join(base, `${started}-${process.pid}`);
  mkdirSync(base, { recursive: true });
  const r = await esbuild({
    absWorkingDir: root,
    entryPoints: ENTRIES.map((e) => join(root, e)),
    outdir: dir,
    outbase: root,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [OWN_URL],
  });
  const inputs = Object.fromEntries(Object.keys(r.metafile.inputs).map((f) => [join(root, f), statSync(join(root, f)).mtimeMs]));
  // a source edited while esbuild read it may be in the bundle as it was: use this build, but do not record it
  if (Object.values(inputs).some((t) => t >= started)) return dir;
  const tmp = join(base, `current.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify({ dir, inputs }));
  renameSync(tmp, join(base, 'current.json'));
  removeOld(base, dir);
  return dir;
}

/** Each module keeps its own import.meta.url (its .ts file), so paths it derives from it (fixtures, workers) hold. */
const OWN_URL = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (a) => ({
      contents: readFileSync(a.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
      loader: 'ts',
    }));
  },
};

function removeOld(base, keep) {
  for (const d of readdirSync(base, { withFileTypes: true })) {
    const p = join(base, d.name);
    if (d.isDirectory() && p !== keep && Date.now() - statSync(p).mtimeMs > KEEP_OLD_MS) rmSync(p, { recursive: true, force: true });
  }
}
