// `export --as qmp`: the scenario's QMP commands alone, one JSON object a line (for qmp-shell or socat).
import type { Scenario } from '../qmp/scenario.ts';

/** Each command exactly as the fixture stores it (JSON.stringify escapes line breaks, so one command is one line). */
export function qmpLines(scenario: Scenario): string {
  return scenario.commands.map((c) => JSON.stringify(c) + '\n').join('');
}
