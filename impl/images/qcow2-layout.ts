// Where a fresh qcow2 file's metadata lies (qemu-img 7.2's create): the sizes every reader of its layout shares.

/** A fresh file holds a header, a refcount table and a refcount block before the L1 table. */
export const FIXED_METADATA_CLUSTERS = 3;

/** Guest bytes one L2 table maps: a cluster of 8-byte entries, each a cluster. */
export const l2Coverage = (clusterSize: number): number => clusterSize * (clusterSize / 8);

/** The L1 table's bytes: an 8-byte entry for each L2 table the virtual size needs. */
export const l1TableBytes = (virtualSize: number, clusterSize: number): number => Math.ceil(virtualSize / l2Coverage(clusterSize)) * 8;

/** The clusters the L1 table takes (at least one). */
export const l1TableClusters = (virtualSize: number, clusterSize: number): number =>
  Math.max(1, Math.ceil(l1TableBytes(virtualSize, clusterSize) / clusterSize));

/** Clusters of a fresh file's metadata, the L1 table included: where its first allocation goes. */
export const metadataClusters = (virtualSize: number, clusterSize: number): number =>
  FIXED_METADATA_CLUSTERS + l1TableClusters(virtualSize, clusterSize);
