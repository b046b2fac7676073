// blockdev-add driver=copy-on-read: a filter that always takes write-unchanged below it.
import { childRef } from '../child-ref.ts';
import { addKind } from './add-kind.ts';

export const addCopyOnRead = addKind('copy-on-read', 2, (s) => ({ file: childRef(s, 'any') }));
