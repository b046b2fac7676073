// The one kind of file name a QEMU run may use: a plain name inside its private directory.

/**
 * No directory part, no protocol or `json:` prefix (QEMU reads `x:` before any `/` as a protocol), no NUL, not `.`
 * or `..`. The empty name opens nothing (QEMU refuses it), so it is harmless too.
 */
export function isPlainFileName(name: string): boolean {
  return name === '' || (/^[^/:\\\0]+$/.test(name) && name !== '.' && name !== '..');
}

/** Why a name is refused, for the message users read. */
export function whyNotPlain(name: string): string {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}...` : name);
  if (name.includes('/')) return `${shown} names a path; a QEMU run may only use plain file names inside its own directory`;
  if (name.includes(':')) return `${shown} has a protocol prefix or a json: name; a QEMU run may only use plain file names inside its own directory`;
  return `${shown} is not a plain file name inside the run's directory`;
}
