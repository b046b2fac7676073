// `export --as qmp`: the scenario's QMP commands alone, one JSON object a line (for qmp-shell or socat).
import { wireJson } from '../qmp/json/wire-text.ts';
import type { Scenario } from '../qmp/scenario.ts';

/** Each command exactly as the fixture stores it (JSON.stringify escapes line breaks, so one command is one line). */
export function qmpLines(scenario: Scenario): string {
  // wireJson: JSON.stringify's text, with the exact digits of integers past 2^53 and doubles kept as doubles
  return scenario.commands.map((c) => wireJson(c) + '\n').join('');
}
