// Driver hooks for bdrv_refresh_filename (core/node-filename.ts): the plain name a driver gives its node and the
// options it adds to bs->full_open_options.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockNode, Edge } from '../core/graph.ts';

export interface DriverFilename {
  /**
   * bs->exact_filename from drv->bdrv_refresh_filename: the node is named by it, or by json:{...} when it gives none.
   * Absent: a node with no strong options of its own and one child takes that child's name
   * (bdrv_default_refresh_format_filename), else json:{...}.
   */
  readonly exactFilename?: (node: BlockNode) => string | undefined;
  /**
   * What the driver puts into full_open_options beyond its strong options (drv->bdrv_gather_child_options, file's
   * filename), and the child edges that covers. Absent: each child's options under the child's name.
   */
  readonly gatherOptions?: (node: BlockNode, childOptions: (child: BlockNode) => JsonObject) => { readonly options: JsonObject; readonly children: readonly Edge[] };
}
