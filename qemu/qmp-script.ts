// Turns a scenario into a bash script a QEMU developer can paste: images, then one QMP session on stdio.
import { wireJson } from '../qmp/json/wire-text.ts';
import type { Scenario } from '../qmp/scenario.ts';
import { qemuImgCreateArgs } from './images.ts';

/** POSIX single-quote quoting: safe for any argument. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=,:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ScriptOptions {
  /** A comment block at the top (what the finding is). */
  readonly title?: readonly string[];
}

/**
 * The script creates a scratch directory, the images with qemu-img, and pipes the QMP commands (after
 * qmp_capabilities, with an x-debug-query-block-graph after each) into qemu-storage-daemon.
 */
export function qmpScript(scenario: Scenario, opts: ScriptOptions = {}): string {
  const lines: string[] = ['#!/usr/bin/env bash', '# Reproduction for qemu-storage-daemon (QEMU 7.2); made by bgcheck.'];
  for (const t of opts.title ?? []) lines.push(`# ${t}`);
  if (scenario.description) lines.push(`# ${scenario.description}`);
  lines.push('set -euo pipefail', 'cd "$(mktemp -d)"');
  for (const img of scenario.images) lines.push(['qemu-img', ...qemuImgCreateArgs(img)].map(shellQuote).join(' '));
  lines.push("qemu-storage-daemon --chardev stdio,id=c --monitor chardev=c <<'QMP'");
  lines.push(wireJson({ execute: 'qmp_capabilities' }));
  for (const c of scenario.commands) {
    lines.push(wireJson(c));
    lines.push(wireJson({ execute: 'x-debug-query-block-graph' }));
  }
  lines.push(wireJson({ execute: 'quit' }), 'QMP', '');
  return lines.join('\n');
}
