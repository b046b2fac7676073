// Output files of `show` and `export`: written whole (temp file, then rename), so a reader never sees half a page.
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type WriteResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

export async function writeOutput(path: string, text: string, mode = 0o644): Promise<WriteResult> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, text, 'utf8');
    await chmod(tmp, mode);
    await rename(tmp, path);
    return { ok: true, path };
  } catch (e) {
    return { ok: false, message: `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
