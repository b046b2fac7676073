// The exports as text: QMP lines, Python literals, and a hostile fixture that must come out as data in every form.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFixture } from '../properties/fixtures/parse-fixture.ts';
import { qemuImgCreateArgs } from '../qemu/images.ts';
import { qmpScript } from '../qemu/qmp-script.ts';
import type { JsonValue } from '../qmp/types.ts';
import { HOSTILE_FILE, HOSTILE_TEXT, hostileFixture } from '../show/hostile-fixture.ts';
import { iotestCheck } from './iotest-checks.ts';
import { iotestName, iotestPython } from './iotest-python.ts';
import { pyLiteral } from './py-literal.ts';
import { qmpLines } from './qmp-lines.ts';

const base = JSON.parse(readFileSync('shrunk-cases/0008-edge-perms-match-driver-rules-blockdev-snapshot.json', 'utf8')) as Record<string, unknown>;
const parsed = parseFixture(hostileFixture(base), '9999-hostile.json');
if (!parsed.ok) throw new Error(parsed.error.message);
const hostile = parsed.fixture;
const python = (code: string, input = ''): { status: number | null; out: string; err: string } => {
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
};

describe('export --as qmp', () => {
  it('writes each command as stored, one JSON object a line, line breaks in strings escaped', () => {
    const text = qmpLines(hostile.scenario);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(hostile.scenario.commands.length);
    expect(lines.map((l) => JSON.parse(l) as JsonValue)).toEqual(hostile.scenario.commands);
  });
});

describe('Python literals', () => {
  it('read back in Python as the same data, whatever the strings hold', () => {
    const data: JsonValue = { [HOSTILE_TEXT]: [HOSTILE_FILE, '\u{1F600}\ud800', 2 ** 53, -0.5, null, true, false, {}] };
    const r = python('import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))', pyLiteral(data));
    expect(r.err).toBe('');
    expect(JSON.parse(r.out.replace(/\\ud800/g, '\\ufffd'))).toEqual(JSON.parse(JSON.stringify(data).replace(/\\ud800/g, '\\ufffd')));
  });
});

describe('a hostile fixture', () => {
  it('becomes an iotest whose text stays in comments and string literals', async () => {
    const check = await iotestCheck(hostile);
    if (!check.ok) throw new Error(check.message);
    const t = iotestPython(hostile, check.check);
    expect(t.name).toBe('bgcheck-9999-hostile');
    // the module parses, and IMAGES holds the file name exactly
    const r = python(
      'import ast, json, sys\nm = ast.parse(sys.stdin.read())\n' +
        "print(json.dumps([ast.literal_eval(n.value) for n in m.body if isinstance(n, ast.Assign) and n.targets[0].id == 'IMAGES'][0]))",
      t.test,
    );
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual(hostile.scenario.images.map((i) => qemuImgCreateArgs(i).slice(1)));
    for (const line of t.test.split('\n').filter((l) => l.includes('alert(1)'))) expect(line.startsWith('# ')).toBe(true);
  });

  it('becomes a bash script that passes its file name to qemu-img as one argument and runs nothing else', () => {
    const script = qmpScript(hostile.scenario, { title: [HOSTILE_TEXT] });
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    for (const line of script.split('\n').filter((l) => l.includes('alert(1)'))) expect(line.startsWith('# ')).toBe(true);
    const imgLines = script.split('\n').filter((l) => l.startsWith('"$QEMU_IMG" '));
    const r = spawnSync('bash', ['-c', imgLines.map((l) => l.replace('"$QEMU_IMG" ', "printf '%s\\n' ")).join('\n')], { encoding: 'utf8' });
    expect(r.stdout.trimEnd().split('\n')).toEqual(hostile.scenario.images.flatMap((i) => qemuImgCreateArgs(i)));
  });

  it('names iotests as QEMU does: short, lower case, dashes', () => {
    expect(iotestName('0014-qemu-abort-bdrv-parent-drained-end-single-no-poll')).toBe('bgcheck-0014-qemu-abort-bdrv-parent-drai');
    expect(iotestName('0001_Weird Name!')).toBe('bgcheck-0001-weird-name');
  });
});
