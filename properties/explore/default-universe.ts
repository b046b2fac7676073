// The universe `bgcheck explore` uses without --universe (universes/default.json).
import { fileURLToPath } from 'node:url';

export const DEFAULT_UNIVERSE_PATH = fileURLToPath(new URL('./universes/default.json', import.meta.url));
