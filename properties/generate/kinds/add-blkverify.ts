// blockdev-add driver=blkverify: a filter over `raw` that reads `test` as DATA.
import { childRef } from '../child-ref.ts';
import { addKind } from './add-kind.ts';

export const addBlkverify = addKind('blkverify', 2, (s) => ({ test: childRef(s, 'any'), raw: childRef(s, 'any') }));
