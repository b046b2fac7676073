import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { checkScenario } from './run-scenario.ts';
it('obs', async () => {
  const f = JSON.parse(readFileSync('/tmp/h3/fz/0015-disagreement-block-resize.json', 'utf8'));
  const v = await checkScenario(f.scenario, { variant: { quirks: [], fixes: [] }, graphs: false } as never);
  console.log('OBS' + JSON.stringify(v).slice(0, 800));
}, 120000);
