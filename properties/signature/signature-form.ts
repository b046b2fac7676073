// A signature is `detector/command/driver/what`: `what` says what is wrong without naming nodes (the crash site, the
// driver and child of the offending edge and which perms differ). Fixtures written before it have three parts.

/** Detectors whose three-part signature already names what is wrong (run/finding.ts's QEMU_ABORT, QEMU_HANG, KNOWN_72_DEFECT, IMPL_EXCEPTION; a test keeps them equal). */
export const COMPLETE_IN_THREE: readonly string[] = ['qemu-abort', 'qemu-hang', 'known-7.2-defect', 'impl-exception'];

/** `what` as one signature part: no `/`, no spaces, bounded. */
export function signaturePart(what: string): string {
  const part = what.replace(/\//g, '|').replace(/\s+/g, '-').slice(0, 120);
  return part.length > 0 ? part : '-';
}

/** The first three parts: the signature as fixtures of format 2 before issue 17 stored it. */
export function coarseOf(signature: string): string {
  return signature.split('/').slice(0, 3).join('/');
}

/** A stored signature without its `what` part, for a detector that has one now: the fixture is older. */
export function isCoarse(signature: string): boolean {
  const parts = signature.split('/');
  return parts.length === 3 && !COMPLETE_IN_THREE.includes(parts[0] ?? '');
}

/** A segfault signed by its command (`qemu-abort/blockdev-del/segfault`): as a build signs one, and as the impl did
 * before it named the cause it decides (`qemu-abort/-/segfault(qcow2-dangling-data-file)`, run/finding.ts). */
export function isCommandSegfault(signature: string): boolean {
  const [detector, command, what, ...rest] = signature.split('/');
  return detector === 'qemu-abort' && command !== '-' && what === 'segfault' && rest.length === 0;
}

const isCausedSegfault = (signature: string): boolean => /^qemu-abort\/-\/segfault\([^/]+\)$/.test(signature);

/**
 * Does a finding seen now (`seen`) show what the fixture stored as `stored`? An older fixture matches on three parts;
 * a segfault stored by its command, any segfault the impl names by its cause.
 */
export function sameSignature(stored: string, seen: string): boolean {
  return stored === seen || (isCoarse(stored) && coarseOf(seen) === stored) || (isCommandSegfault(stored) && isCausedSegfault(seen));
}
