// Turns a scenario into a bash script a QEMU developer can paste: images with qemu-img, then one QMP session with
// qemu-storage-daemon, one command at a time, waiting for jobs to settle (as bgcheck does) and printing the graph.
import { wireJson } from '../qmp/json/wire-text.ts';
import type { Scenario } from '../qmp/scenario.ts';
import type { QmpCommand } from '../qmp/types.ts';
import { qemuImgCreateArgs, qemuIoWriteArgs } from './images.ts';
import { isObservationName } from '../qmp/observation.ts';

/** POSIX single-quote quoting: safe for any argument. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=,:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A `#` comment line: nothing in it can end the comment. */
function comment(s: string): string {
  return `# ${s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')}`;
}

export interface ScriptOptions {
  /** A comment block at the top (what the finding is). */
  readonly title?: readonly string[];
}

/** The command as sent: our own id, so the script knows which line is its reply. */
export function commandLine(c: QmpCommand, id: string): string {
  // wireJson: exact digits past 2^53 and doubles as doubles, where JSON.stringify would throw or round
  return wireJson({ execute: c.execute, ...(c.arguments === undefined ? {} : { arguments: c.arguments }), id });
}

const PRELUDE = String.raw`trap '' PIPE  # a write to a dead daemon fails instead of killing the script
QSD=${'$'}{QSD:-qemu-storage-daemon}
QEMU_IMG=${'$'}{QEMU_IMG:-qemu-img}
QEMU_IO=${'$'}{QEMU_IO:-${'$'}{QEMU_IMG%qemu-img}qemu-io}
QMP_TIMEOUT=${'$'}{QMP_TIMEOUT:-60}  # seconds without a line from the daemon before it counts as hung
dir=$(mktemp -d)
qsd_pid=
trap 'st=$?; if [ -n "$qsd_pid" ]; then kill -9 "$qsd_pid" 2>/dev/null || true; fi; rm -rf "$dir"; exit $st' EXIT
trap 'exit 143' TERM INT
cd "$dir"`;

const SESSION = String.raw`coproc QSD_PROC { exec "$QSD" --chardev stdio,id=c --monitor chardev=c; }
qsd_pid=$QSD_PROC_PID
exec {to_qsd}>&"${'$'}{QSD_PROC[1]}" {from_qsd}<&"${'$'}{QSD_PROC[0]}"
reply=
hung=
# qmp ID JSON [quiet]: sends one command, prints what comes back up to its reply (events too); fails once QEMU is gone
qmp() {
  printf '%s\n' "$2" >&"$to_qsd" 2>/dev/null || return 1
  local line st
  while true; do
    IFS= read -r -t "$QMP_TIMEOUT" line <&"$from_qsd" || { st=$?; [ "$st" -gt 128 ] && hung=1; return 1; }
    line=${'$'}{line%$'\r'}
    case $line in
      *'"event": "'*) ;;
      *"\"id\": \"$1\""*) reply=$line; [ "${'$'}{3:-}" = quiet ] || printf '%s\n' "$line"; return 0 ;;
    esac
    printf '%s\n' "$line"
  done
  return 1
}
# waits until no job is created, running, waiting or aborting (qmprun.py's stable states), at most 10 s
settle() {
  local end=$((SECONDS + 10))
  while [ "$SECONDS" -le "$end" ]; do
    qmp bgcheck-jobs '{"execute":"query-jobs","id":"bgcheck-jobs"}' quiet || return 1
    grep -qE '"status": "(created|running|waiting|aborting)"' <<<"$reply" || return 0
    sleep 0.01
  done
}
died() {
  local st=0
  if [ -n "$hung" ]; then
    kill -9 "$qsd_pid" 2>/dev/null || true
    echo "bgcheck: qemu-storage-daemon hangs at step $1 (no reply within $QMP_TIMEOUT s)" >&2
    exit 124
  fi
  wait "$qsd_pid" || st=$?
  echo "bgcheck: qemu-storage-daemon died at step $1 (exit status $st)" >&2
  exit $(( st == 0 ? 1 : st ))
}
step() {
  echo "# step $1"
  qmp "bgcheck-step-$1" "$2" || died "$1"
  settle || died "$1"
  qmp "bgcheck-graph-$1" "{\"execute\":\"x-debug-query-block-graph\",\"id\":\"bgcheck-graph-$1\"}" || died "$1"
}
IFS= read -r -t 60 greeting <&"$from_qsd" || died start
printf '%s\n' "${'$'}{greeting%$'\r'}"
qmp bgcheck-caps '{"execute":"qmp_capabilities","id":"bgcheck-caps"}' || died start`;

const EPILOGUE = String.raw`qmp bgcheck-quit '{"execute":"quit","id":"bgcheck-quit"}' quiet || true
wait "$qsd_pid" || true
echo "bgcheck: qemu-storage-daemon lived through every step" >&2`;

/**
 * The script creates a scratch directory and the images, starts qemu-storage-daemon (QSD=… and QEMU_IMG=… choose
 * another build), sends each command with the id `bgcheck-step-N`, and prints the graph after it (`bgcheck-graph-N`).
 * If the daemon dies it says at which step and exits with the daemon's status (134 abort, 139 segfault).
 */
export function qmpScript(scenario: Scenario, opts: ScriptOptions = {}): string {
  const lines: string[] = ['#!/usr/bin/env bash', '# Reproduction for qemu-storage-daemon; made by bgcheck.'];
  for (const t of opts.title ?? []) lines.push(comment(t));
  if (scenario.description) lines.push(comment(scenario.description));
  lines.push('# Usage: bash THIS.sh   (QSD=/path/to/qemu-storage-daemon QEMU_IMG=/path/to/qemu-img bash THIS.sh for another build)');
  lines.push('set -euo pipefail', PRELUDE);
  for (const img of scenario.images) {
    lines.push(['"$QEMU_IMG"', ...qemuImgCreateArgs(img).map(shellQuote)].join(' '));
    const io = qemuIoWriteArgs(img);
    if (io) lines.push(['"$QEMU_IO"', ...io.map(shellQuote)].join(' '));
  }
  lines.push(SESSION);
  for (const [i, c] of scenario.commands.entries()) {
    // bgcheck answers observation steps through an NBD export and qemu-img, not over QMP
    if (isObservationName(c.execute)) lines.push(comment(`step ${i}: ${JSON.stringify(c)}: a bgcheck observation (the node exported over NBD, read with qemu-img), not sent`));
    else lines.push(`step ${i} ${shellQuote(commandLine(c, `bgcheck-step-${i}`))}`);
  }
  lines.push(EPILOGUE, '');
  return lines.join('\n');
}
