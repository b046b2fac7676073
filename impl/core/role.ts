// Child roles (QEMU BdrvChildRole) as a tagged union, so invalid bit combinations cannot exist.

export type ChildRole =
  | { readonly kind: 'filtered'; readonly primary: true }
  | { readonly kind: 'cow' }
  | { readonly kind: 'storage'; readonly data: boolean; readonly metadata: boolean; readonly primary: boolean }
  /** Block job edges carry no role (block_job_add_bdrv passes 0). */
  | { readonly kind: 'none' };

export const FILTERED_PRIMARY: ChildRole = Object.freeze({ kind: 'filtered', primary: true });
export const COW: ChildRole = Object.freeze({ kind: 'cow' });
/** qcow2's file child: DATA | METADATA | PRIMARY. */
export const IMAGE: ChildRole = Object.freeze({ kind: 'storage', data: true, metadata: true, primary: true });
export const DATA: ChildRole = Object.freeze({ kind: 'storage', data: true, metadata: false, primary: false });
export const DATA_PRIMARY: ChildRole = Object.freeze({ kind: 'storage', data: true, metadata: false, primary: true });

export const NO_ROLE: ChildRole = Object.freeze({ kind: 'none' });

export function isPrimary(r: ChildRole): boolean {
  return (r.kind === 'filtered' || r.kind === 'storage') && r.primary;
}
