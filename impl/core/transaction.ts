// QEMU's Transaction: every graph edit registers its undo; abort replays them newest first.

export class Transaction {
  private readonly undo: Array<() => void> = [];
  private readonly onCommit: Array<() => void> = [];
  private done = false;

  /** Registers how to revert an edit that has already been applied. */
  addUndo(fn: () => void): void {
    this.undo.push(fn);
  }

  /** Registers work that must only happen once the whole change is accepted. */
  addCommit(fn: () => void): void {
    this.onCommit.push(fn);
  }

  commit(): void {
    this.finish();
    for (const fn of this.onCommit) fn();
  }

  abort(): void {
    this.finish();
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
  }

  /** Sets a field and remembers its old value. */
  set<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): void {
    const old = obj[key];
    obj[key] = value;
    this.addUndo(() => {
      obj[key] = old;
    });
  }

  /** Hands a finished-ok nested transaction's undo and commit work to this one. */
  absorb(inner: Transaction): void {
    inner.finish();
    this.undo.push(...inner.undo);
    this.onCommit.push(...inner.onCommit);
  }

  private finish(): void {
    if (this.done) throw new Error('transaction finished twice');
    this.done = true;
  }
}

/** Runs edits that cannot fail and keeps them (job phases outside any command's transaction). */
export function applyTx(fn: (tx: Transaction) => void): void {
  const tx = new Transaction();
  fn(tx);
  tx.commit();
}

/** Runs `fn` nested in `tx`: on failure only the nested part is undone, on success it joins `tx`. */
export function nested<R extends { readonly ok: boolean }>(tx: Transaction, fn: (inner: Transaction) => R): R {
  const inner = new Transaction();
  const r = fn(inner);
  if (r.ok) tx.absorb(inner);
  else inner.abort();
  return r;
}

/** Runs `fn` in a fresh transaction: commit when it returns ok, abort otherwise (or on throw). */
export function inTransaction<R extends { readonly ok: boolean }>(fn: (tx: Transaction) => R): R {
  const tx = new Transaction();
  let r: R;
  try {
    r = fn(tx);
  } catch (e) {
    tx.abort();
    throw e;
  }
  if (r.ok) tx.commit();
  else tx.abort();
  return r;
}
