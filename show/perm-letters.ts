// QEMU's short perm letters, as scripts/render_block_graph.py writes them: w r u s, `_` where a perm is absent.

const LETTERS: readonly (readonly [string, string])[] = [
  ['write', 'w'],
  ['consistent-read', 'r'],
  ['write-unchanged', 'u'],
  ['resize', 's'],
];

/** `wr__` for write + consistent-read; perms QEMU 7.2 does not have are appended by name so nothing is hidden. */
export function permLetters(perms: readonly string[]): string {
  const known = LETTERS.map(([name, letter]) => (perms.includes(name) ? letter : '_')).join('');
  const other = perms.filter((p) => !LETTERS.some(([name]) => name === p));
  return other.length === 0 ? known : `${known}+${other.join('+')}`;
}

/** `perm/shared`, e.g. `_r__/wrus`. */
export function edgePermText(perm: readonly string[], shared: readonly string[]): string {
  return `${permLetters(perm)}/${permLetters(shared)}`;
}

export const PERM_LEGEND = 'w write · r consistent-read · u write-unchanged · s resize · _ not taken/shared';
