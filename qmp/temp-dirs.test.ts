import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from './temp-dirs.test-support.ts';

describe('tempDirs, removed after each test', () => {
  const tempDir = tempDirs('bgcheck-temp-dirs-test-');
  let earlier: readonly string[] = [];

  it('makes a fresh, empty dir on every call', () => {
    earlier = [tempDir(), tempDir()];
    expect(earlier[0]).not.toBe(earlier[1]);
    writeFileSync(join(earlier[0] ?? '', 'f'), 'x');
    expect(earlier.every((d) => existsSync(d))).toBe(true);
  });

  it('has removed the dirs of the test before, files and all', () => {
    expect(earlier).toHaveLength(2);
    expect(earlier.some((d) => existsSync(d))).toBe(false);
  });
});

describe('tempDirs, removed after all tests', () => {
  const shared = tempDirs('bgcheck-temp-dirs-test-', 'all')();

  it('keeps the dir for the next test', () => writeFileSync(join(shared, 'f'), 'x'));

  it('still has it', () => expect(existsSync(join(shared, 'f'))).toBe(true));
});

describe('after a describe with lifetime all', () => {
  const outer: string[] = [];
  describe('inner', () => {
    const tempDir = tempDirs('bgcheck-temp-dirs-test-', 'all');
    it('makes one', () => void outer.push(tempDir()));
  });

  it('has removed it', () => {
    expect(outer).toHaveLength(1);
    expect(existsSync(outer[0] ?? '')).toBe(false);
  });
});
