// QEMU's &error_abort: a failure there kills the daemon; the impl surfaces it as a qemu-abort outcome.

export class QemuAbortError extends Error {
  override readonly name = 'QemuAbortError';
  constructor(readonly stderr: string) {
    super(stderr);
  }
}

/** The stderr text of an error_abort failure inside `fn` (QEMU's error_handle output). */
export function errorAbort(fn: string, message: string): never {
  throw new QemuAbortError(`Unexpected error in ${fn}() at ../../block.c:0:\nqemu-storage-daemon: ${message}\n`);
}

/** bdrv_replace_child_noperm's assert(!child->frozen): detaching or moving a frozen link kills QEMU. */
export function assertNotFrozen(frozen: boolean): void {
  if (frozen) {
    throw new QemuAbortError(
      "qemu-storage-daemon: ../../block.c:2838: bdrv_replace_child_noperm: Assertion `!child->frozen' failed.\n",
    );
  }
}
