// A fixture written to break whatever prints it: markup, quotes, backslashes, shell and Python syntax, line breaks.
// Tests feed it to `show` and `export`; everything must come out as text.

export const HOSTILE_TEXT = `</script><script>alert(1)</script>"'\\ $(touch /tmp/bgcheck-pwned) \`id\` ''' """ \r\n# not a comment\u2028x`;
export const HOSTILE_FILE = `<img src=x onerror=alert(2)>'"$(touch bgcheck-pwned)\\.qcow2`;

/** 0008 with its description, message and image file name replaced (`base` is that fixture's parsed JSON). */
export function hostileFixture(base: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(base)
    .replaceAll('c0-1.qcow2', JSON.stringify(HOSTILE_FILE).slice(1, -1))
    .replaceAll('0008-edge-perms-match-driver-rules-blockdev-snapshot', '9999-hostile');
  const f = JSON.parse(text) as Record<string, unknown> & { scenario: Record<string, unknown>; finding: Record<string, unknown> };
  return { ...f, scenario: { ...f.scenario, description: HOSTILE_TEXT }, finding: { ...f.finding, message: `${HOSTILE_TEXT} n12 -children.0-> n20` } };
}
