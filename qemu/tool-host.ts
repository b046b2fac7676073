// What runs QEMU's tools for one owner (a fuzz campaign, a bench): its spawner helpers and the images it made once.
// The owner closes it when done; our exit ends the helpers and removes the cache's dir all the same.
import { ImageCache } from './image-cache.ts';
import { Spawners } from './sandbox/spawner.ts';

export class ToolHost {
  readonly spawners = new Spawners();
  readonly images = new ImageCache(this.spawners);

  async close(): Promise<void> {
    this.spawners.close();
    await this.images.close();
  }
}
