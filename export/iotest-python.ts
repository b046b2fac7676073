// `export --as iotest`: a Python test for QEMU's tests/qemu-iotests/tests/NAME (plus NAME.out), shaped like QEMU's
// own: it runs the fixture's commands on qemu-storage-daemon and asserts the right behaviour after the finding's step.
import type { Fixture } from '../properties/fixtures/fixture.ts';
import { qemuImgCreateArgs, qemuIoWriteArgs } from '../qemu/images.ts';
import { isObservationName } from '../qmp/observation.ts';
import type { JsonValue } from '../qmp/types.ts';
import { findingWords } from '../show/finding-words.ts';
import { commentLine } from '../show/text-escape.ts';
import { checkBlock, GRAPH_HELPERS, HARNESS, needsGraph, SNAPSHOT_HELPER } from './iotest-py-parts.ts';
import type { EdgeFact, IotestCheck } from './iotest-checks.ts';
import { pyLiteral, pyStr } from './py-literal.ts';

export interface Iotest {
  /** The file name under tests/qemu-iotests/tests/. */
  readonly name: string;
  readonly test: string;
  readonly out: string;
  /** The image format `check` must run it with (-qcow2, -raw). */
  readonly format: string;
}

/** What unittest prints for one passing test, which `check` compares the output with. */
const PASSING_OUT = '.\n----------------------------------------------------------------------\nRan 1 tests\n\nOK\n';

/** QEMU test names: short lower-case words joined by dashes (`check` puts the name in a socket path: 108 bytes). */
export function iotestName(fixtureName: string): string {
  const slug = fixtureName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `bgcheck-${slug}`.slice(0, 40).replace(/-+$/, '');
}

/** Comment lines of at most ~76 characters. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of commentLine(text).split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + word.length + 1 > 74) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `# ${l}`);
}

const edgeTuple = (e: EdgeFact): string => `(${[pyStr(e.parent), pyStr(e.role), pyStr(e.child), pyLiteral([...e.perm]), pyLiteral([...e.shared])].join(', ')})`;

function constants(c: IotestCheck): string[] {
  switch (c.kind) {
    case 'edge-perms':
      return [`EXPECTED_EDGES = [\n${c.edges.map((e) => `    ${edgeTuple(e)},\n`).join('')}]`];
    case 'filters':
      return [`FILTERS = {${c.filters.map(([d, ch]) => `${pyStr(d)}: ${pyStr(ch)}`).join(', ')}}`];
    case 'reference':
      return [
        ...(c.desc === null ? [] : [`EXPECTED_DESC = ${pyStr(c.desc)}`]),
        `EXPECTED_NODES = [\n${c.nodes.map((n) => `    (${pyStr(n.name)}, ${pyStr(n.drv)}, ${n.ro ? 'True' : 'False'}),\n`).join('')}]`,
        `EXPECTED_EDGES = [\n${c.edges.map((e) => `    ${edgeTuple(e)},\n`).join('')}]`,
      ];
    case 'alive':
    case 'graph-unchanged':
    case 'acyclic':
    case 'jobs-complete':
    case 'replies':
      return [];
  }
}

function stepLine(n: number, execute: string, args: JsonValue | undefined, assign: boolean): string {
  const call = `self.step(${n}, ${pyStr(execute)}${args === undefined ? '' : `, ${pyLiteral(args)}`})`;
  return `        ${assign ? 'reply = ' : ''}${call}`;
}

export function iotestPython(f: Fixture, check: IotestCheck): Iotest {
  const name = iotestName(f.name);
  const formats = [...new Set(f.scenario.images.map((i) => i.format))].sort();
  const fmts = formats.length === 0 ? ['qcow2', 'raw'] : formats;
  const images = f.scenario.images.map((i) => `    ${pyLiteral(qemuImgCreateArgs(i).slice(1))},\n`).join('');
  // observation steps are bgcheck's (an NBD export read with qemu-img), not QMP: the test leaves them out
  const upTo = f.scenario.commands.slice(0, f.finding.step + 1).filter((c) => !isObservationName(c.execute));
  const writes = f.scenario.images.flatMap((i) => {
    const io = qemuIoWriteArgs(i);
    return io ? [`        qemu_io(${io.map(pyStr).join(', ')})`] : [];
  });
  const body: string[] = writes.length > 0 ? ['        # the images\' data, written before any node opens them', ...writes] : [];
  for (const [i, c] of upTo.entries()) {
    const last = i === upTo.length - 1;
    if (last && check.kind === 'graph-unchanged') body.push('        before = self.snapshot()');
    if (last) body.push('        # the step the finding is about');
    const assign = check.kind === 'replies' || (last && (check.kind === 'graph-unchanged' || check.kind === 'reference'));
    body.push(stepLine(i, c.execute, c.arguments, assign));
    if (check.kind === 'replies') body.push(`        self.assertIn(${pyStr(check.replies[i] ?? 'return')}, reply)`);
  }
  const about = [findingWords(f), `bgcheck's message: ${f.finding.message === '' ? '(none: a silent death)' : f.finding.message}`];
  if (f.scenario.description !== undefined) about.push(f.scenario.description);
  if (check.kind === 'replies') about.push(`This test can only check that the daemon lives and replies as it should: ${check.reason}.`);
  if (upTo.length <= f.finding.step) about.push('The fixture observes what nodes serve (bgcheck reads an NBD export of the node with qemu-img); those steps are not QMP and are left out here.');
  const test = [
    '#!/usr/bin/env python3',
    '# group: rw quick',
    '# SPDX-License-Identifier: GPL-2.0-or-later',
    '#',
    ...wrap(about.join(' ')),
    '#',
    ...wrap(`Found by bgcheck (blockgraph-check), fixture ${f.name} (signature ${f.finding.signature}); written by \`bgcheck export --as iotest\`.`),
    '',
    'import os',
    'import time',
    '',
    'import iotests',
    `from iotests import qemu_img_create, ${writes.length > 0 ? 'qemu_io, ' : ''}QemuStorageDaemon`,
    '',
    "STABLE = {'ready', 'concluded', 'pending', 'paused', 'standby', 'null', 'undefined'}",
    `IMAGES = [\n${images}]`,
    ...constants(check),
    '',
    '',
    'class TestBgcheckFinding(iotests.QMPTestCase):',
    HARNESS.replace(/^\n/, '') + (needsGraph(check) || check.kind === 'graph-unchanged' ? GRAPH_HELPERS : '') + (check.kind === 'graph-unchanged' ? SNAPSHOT_HELPER : ''),
    `    def test_${name.replace(/-/g, '_')}(self) -> None:`,
    ...body,
    checkBlock(check).replace(/^\n/, ''),
    '',
    '',
    "if __name__ == '__main__':",
    `    iotests.main(supported_fmts=${pyLiteral(fmts)}, supported_protocols=['file'])`,
    '',
  ].join('\n');
  return { name, test, out: PASSING_OUT, format: fmts.includes('qcow2') ? 'qcow2' : (fmts[0] ?? 'qcow2') };
}
