// The CI workflows run exactly the commands the README tells a developer to run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (rel: string): string => readFileSync(new URL(`../${rel}`, import.meta.url), 'utf8');

/** `run:` values of a workflow, one entry per command (`a && b` is two). */
function workflowCommands(yaml: string): string[] {
  const out: string[] = [];
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:- )?run:\s*(.*)$/.exec(lines[i] ?? '');
    if (!m) continue;
    let text = m[2] ?? '';
    if (text === '|') {
      const body: string[] = [];
      for (const l of lines.slice(i + 1)) {
        if (l.trim() !== '' && l.search(/\S/) <= (m[1]?.length ?? 0)) break;
        body.push(l.trim());
      }
      text = body.join(' && ');
    }
    out.push(...text.split('&&').map((c) => c.trim()).filter((c) => c !== ''));
  }
  return out;
}

/** Commands in the README's sh blocks, comments dropped, `a && b` split. */
function readmeCommands(md: string): string[] {
  const blocks = [...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((b) => b[1] ?? '');
  return blocks.flatMap((b) => b.split('\n').flatMap((l) => l.replace(/#.*$/, '').split('&&').map((c) => c.trim()).filter((c) => c !== '')));
}

/** Tokens; a workflow expression (`${{ matrix.seed }}`, `"$FUZZ_SECONDS"`) stands for any one README token. */
function tokens(cmd: string): string[] {
  return cmd.replace(/\$\{\{[^}]*\}\}/g, '$EXPR').split(/\s+/);
}

function matches(workflowCmd: string, readmeCmd: string): boolean {
  const w = tokens(workflowCmd);
  const r = tokens(readmeCmd).filter((t) => t !== '<' && t !== '/dev/null');
  return w.length === r.length && w.every((t, i) => t.includes('$') || t === r[i]);
}

const readme = readmeCommands(read('README.md'));
const developerCommands = (yaml: string): string[] => workflowCommands(yaml).filter((c) => /^(npm|npx) /.test(c));

describe('CI workflows', () => {
  for (const file of ['.github/workflows/ci.yml', '.github/workflows/nightly.yml']) {
    it(`${file} runs only npm/npx commands the README shows`, () => {
      const cmds = developerCommands(read(file));
      expect(cmds.length).toBeGreaterThan(0);
      for (const c of cmds) expect(readme.some((r) => matches(c, r)), `${c} is not in the README`).toBe(true);
    });
  }

  it('ci runs the tests the way a developer does', () => {
    expect(developerCommands(read('.github/workflows/ci.yml'))).toEqual(['npm ci', 'npm test']);
  });

  it('nightly fuzzes a matrix of seeds on a schedule and by hand, and keeps new fixtures', () => {
    const y = read('.github/workflows/nightly.yml');
    expect(developerCommands(y)).toEqual([
      'npm ci',
      'npx bgcheck fuzz --time "$FUZZ_SECONDS" --seed ${{ matrix.seed }} --check model --workers 4 --json',
      'npm ci',
      'npx bgcheck fuzz --time "$FUZZ_SECONDS" --seed ${{ matrix.seed }} --target qemu --qemu "$QEMU_DIR" --json',
    ]);
    expect(y).toMatch(/^\s+schedule:\n\s+- cron: /m);
    expect(y).toMatch(/^\s+workflow_dispatch:/m);
    expect(y).toMatch(/^\s+seed: \[\d+(, \d+)+\]$/m);
    expect(y).toMatch(/uses: actions\/upload-artifact@v4\n\s+if: failure\(\)/);
    // a real build under test in its own job: 10.0.2 by default, any build through an input
    expect(y).toMatch(/^ {2}fuzz-qemu:\n/m);
    expect(y).toMatch(/qemu-deb-version:\n\s+description: .*\n\s+default: '1:10\.0\.2\+ds-2\+deb13u1~bpo12\+1'/);
  });

  it('matches commands token by token, expressions standing for one token', () => {
    expect(matches('npx bgcheck fuzz --time "$X" --seed ${{ matrix.seed }}', 'npx bgcheck fuzz --time 60 --seed 1')).toBe(true);
    expect(matches('npx bgcheck fuzz --time "$X" --seed 1 --check qemu', 'npx bgcheck fuzz --time 60 --seed 1')).toBe(false);
    expect(workflowCommands('steps:\n  - run: |\n      npm ci\n      npm test\n  - run: npx a')).toEqual(['npm ci', 'npm test', 'npx a']);
  });
});
