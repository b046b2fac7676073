// Issue 14's probes of the monitor (items 2, 3, 7): each answered as QEMU 7.2 answers it, and the monitor carries on;
// with QEMU installed, the same bytes go to qemu-storage-daemon and the answers must be identical.
import { describe, expect, it } from 'vitest';
import { isQemuAvailable } from '../../qemu/available.ts';
import { groups, monitorOutput, qemuOutput, sessionInput } from './qemu-compare.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const err = (desc: string): string => `{"error": {"class": "GenericError", "desc": "${desc}"}}`;

/** Each probe: the line, and what QEMU 7.2 answers to it (before the resync that follows every line). */
const PROBES: readonly { readonly what: string; readonly line: Uint8Array; readonly answers: (a: readonly string[]) => void }[] = [
  {
    what: 'an id nested 4,000 deep: the nesting limit, three times, then errors for the closing brackets',
    line: enc(`{"execute":"query-jobs","id":${'['.repeat(4000)}${']'.repeat(4000)}}`),
    answers: (a) => {
      expect(a.filter((l) => l === err('JSON nesting depth limit exceeded'))).toHaveLength(3);
      expect(a.every((l) => l.startsWith('{"error": '))).toBe(true);
    },
  },
  {
    what: 'a raw newline inside a string: a stray token, and the next line is a new message',
    line: enc('{"execute":"query-jobs","id":"x\n{"execute":"query-jobs","id":2}'),
    answers: (a) => expect(a).toEqual([err(`JSON parse error, stray '\\"x\\n'`), '{"return": [], "id": 2}']),
  },
  {
    what: 'garbage holding a quote and a brace',
    line: enc('garbage "{ more\n{"execute":"query-jobs","id":3}'),
    answers: (a) => expect(a.at(-1)).toBe('{"return": [], "id": 3}'),
  },
  {
    what: '"arguments": null',
    line: enc('{"execute":"query-jobs","arguments":null,"id":8}'),
    answers: (a) => expect(a).toEqual([`{"id": 8, ${err("QMP input member 'arguments' must be an object").slice(1)}`]),
  },
  {
    what: '"control": {}',
    line: enc('{"execute":"query-jobs","control":{},"id":9}'),
    answers: (a) => expect(a).toEqual([`{"id": 9, ${err("QMP input member 'control' is unexpected").slice(1)}`]),
  },
  {
    what: '"exec-oob": true without the oob capability',
    line: enc('{"execute":"query-jobs","exec-oob":true,"id":10}'),
    answers: (a) => expect(a).toEqual([`{"id": 10, ${err("QMP input member 'exec-oob' is unexpected").slice(1)}`]),
  },
  {
    what: 'an integer above 2^53 keeps every digit',
    line: enc('{"execute":"query-jobs","id":9007199254740993}'),
    answers: (a) => expect(a).toEqual(['{"return": [], "id": 9007199254740993}']),
  },
  {
    what: 'a null-co size near INT64_MAX is too large, not of the wrong type',
    line: enc('{"execute":"blockdev-add","arguments":{"driver":"null-co","node-name":"big","size":9223372036854775807}}'),
    answers: (a) => expect(a).toEqual([err('Could not refresh total sector count: File too large')]),
  },
  {
    what: 'non-ASCII is escaped as QEMU escapes it',
    line: enc('{"execute":"query-jobs","id":"café"}'),
    answers: (a) => expect(a).toEqual(['{"return": [], "id": "caf\\u00E9"}']),
  },
  {
    what: 'invalid UTF-8 in a string is refused',
    line: Uint8Array.from([...enc('{"execute":"query-jobs","id":"'), 0xc3, ...enc('"}')]),
    answers: (a) => expect(a).toEqual([err('JSON parse error, invalid UTF-8 sequence in string')]),
  },
  {
    what: 'query-named-block-nodes lists the newest node first',
    line: enc(
      '{"execute":"blockdev-add","arguments":{"driver":"null-co","node-name":"first"}}\n{"execute":"blockdev-add","arguments":{"driver":"null-co","node-name":"second"}}\n{"execute":"query-named-block-nodes","arguments":{"flat":true}}',
    ),
    answers: (a) => {
      const names = [...(a.at(-1) ?? '').matchAll(/"node-name": "([^"]+)"/g)].map((m) => m[1]);
      expect(names).toEqual(['second', 'first']);
    },
  },
];

const input = sessionInput(PROBES.map((p) => p.line));

describe('hostile input to the monitor (issue 14 items 2, 3, 7)', () => {
  const answers = groups(monitorOutput(input), PROBES.length);
  PROBES.forEach((p, i) => {
    it(`${p.what}, and it answers the next command`, () => {
      p.answers((answers[i] ?? []).filter((l) => !l.includes("stray '\\uFFFD'")));
    });
  });

  it.skipIf(!isQemuAvailable())('answers every probe byte for byte as qemu-storage-daemon 7.2 does (needs QEMU)', async () => {
    const theirs = groups(await qemuOutput(input, PROBES.length, 120_000), PROBES.length);
    // what a query says about an image (actual-size, dirty-flag) is the impl's business: only its node order counts here
    const names = (g: readonly (readonly string[])[]): string[][] => g.map((a) => a.map((l) => (l.includes('"node-name"') ? [...l.matchAll(/"node-name": "([^"]+)"/g)].map((m) => m[1]).join(',') : l)));
    expect(names(answers)).toEqual(names(theirs));
  }, 180_000);
});
