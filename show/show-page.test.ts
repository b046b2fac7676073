// `bgcheck show` in a real headless Chromium: the page loads from a file with nothing else, every picture draws
// exactly its step's normalized graph (QEMU 7.2's recording, or the impl replayed apart from the page code), the
// finding's marks are there, the keys and links step through, and a screenshot is not blank.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImplTarget } from '../properties/run/impl-target.ts';
import type { NormalizedGraph } from '../qmp/normalized-graph.ts';
import { chromiumAvailable, CHROMIUM, launchChromium, type Browser } from './browser.ts';
import { graphRenderer, type GraphRenderer } from './layout.ts';
import { loadInput } from './load-input.ts';
import { readDrawnSteps } from './page-dom.ts';
import { showInput } from './show-input.ts';

const letters = (ps: readonly string[]): string => ['write', 'consistent-read', 'write-unchanged', 'resize'].map((p, i) => (ps.includes(p) ? 'wrus'[i] : '_')).join('');
const expectedEdges = (g: NormalizedGraph): string[] => g.edges.map((e) => `${e.parent} -${e.name}-> ${e.child} ${letters(e.perm)}/${letters(e['shared-perm'])}`).sort();
const expectedNodes = (g: NormalizedGraph): string[] => g.nodes.map((n) => n.name).sort();

/** The graph after every step, from the impl stepped directly (not through the page's trace code). */
async function implGraphs(file: string): Promise<(NormalizedGraph | null)[]> {
  const loaded = await loadInput(file);
  if (!loaded.ok) throw new Error(loaded.message);
  const t = new ImplTarget({ graphs: true });
  await t.start(loaded.input.scenario.images, loaded.input.kind === 'fixture' ? loaded.input.fixture.expect.reproduces : { quirks: [], fixes: [] });
  const out: (NormalizedGraph | null)[] = [];
  for (const c of loaded.input.scenario.commands) out.push((await t.step(c)).graph);
  return out;
}

describe.skipIf(!chromiumAvailable())(`bgcheck show in headless Chromium (${CHROMIUM}; skipped without it: apt-get install chromium)`, () => {
  let browser: Browser;
  let renderer: GraphRenderer;
  let dir: string;
  beforeAll(async () => {
    [browser, renderer, dir] = await Promise.all([launchChromium(), graphRenderer(), mkdtemp(join(tmpdir(), 'bgcheck-show-'))]);
  });
  afterAll(async () => {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes the page for `file`, opens it from disk, and records every request the page makes. */
  async function openPage(file: string): Promise<{ page: Page; requests: string[]; url: string }> {
    const loaded = await loadInput(file);
    if (!loaded.ok) throw new Error(loaded.message);
    const shown = await showInput(loaded.input, { target: 'impl' }, renderer);
    if (!shown.ok) throw new Error(shown.message);
    const path = join(dir, `${loaded.input.name}.html`);
    await writeFile(path, shown.html);
    const page = await browser.context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => void requests.push(r.url()));
    page.on('dialog', (d) => void requests.push(`dialog: ${d.message()}`));
    const url = pathToFileURL(path).href;
    await page.goto(url);
    return { page, requests, url };
  }

  it('draws every step of a recorded corpus scenario exactly as QEMU 7.2 recorded its graph, with no request leaving the page', async () => {
    const { page, requests, url } = await openPage('impl/conformance/scenarios/commit-02-active.json');
    const recorded = JSON.parse(readFileSync('impl/conformance/expected/commit-02-active.json', 'utf8')) as { graphs: NormalizedGraph[] };
    const drawn = await readDrawnSteps(page);
    expect(drawn.map((d) => d.graphOf)).toEqual(recorded.graphs.map((_, i) => String(i)));
    for (const [i, d] of drawn.entries()) {
      const g = recorded.graphs[i];
      if (g === undefined) throw new Error(`no recorded graph ${i}`);
      expect(d.nodes.slice().sort(), `nodes after step ${i}`).toEqual(expectedNodes(g));
      expect(d.edges.slice().sort(), `edges after step ${i}`).toEqual(expectedEdges(g));
    }
    // jobs and the export's anonymous BlockBackend are drawn as parents that are no nodes
    expect(await page.locator('g.bg-job').count()).toBeGreaterThan(0);
    expect(await page.locator('g.bg-backend').count()).toBeGreaterThan(0);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('marks the edge and nodes a finding names, steps with keys and links, and its screenshot is not blank', async () => {
    const file = 'shrunk-cases/0008-edge-perms-match-driver-rules-blockdev-snapshot.json';
    const { page, requests, url } = await openPage(file);
    const graphs = await implGraphs(file);
    const drawn = await readDrawnSteps(page);
    for (const [i, d] of drawn.entries()) {
      const g = graphs[i];
      if (g == null) throw new Error(`no graph ${i}`);
      expect(d.nodes.slice().sort()).toEqual(expectedNodes(g));
      expect(d.edges.slice().sort()).toEqual(expectedEdges(g));
    }
    expect(drawn[2]?.markedEdges).toEqual(['n12 -children.0-> n20 ____/_ru_']);
    expect(drawn[2]?.markedNodes.slice().sort()).toEqual(['n12', 'n20']);
    // the finding's step opens first; keys and links move between steps
    await expect.poll(() => page.locator('section.step.current').getAttribute('id')).toBe('step-2');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('section.step.current').getAttribute('id')).toBe('step-1');
    await page.keyboard.press('Home');
    expect(await page.locator('section.step.current').getAttribute('id')).toBe('step-0');
    await page.locator('nav a[href="#step-2"]').click();
    expect(await page.locator('section.step.current').getAttribute('id')).toBe('step-2');
    const png = PNG.sync.read(await page.screenshot());
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(8);
    const picture = process.env['BGCHECK_README_PNG'];
    if (picture !== undefined) await page.screenshot({ path: picture });
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('a crash: the fatal step draws the graph it ran on, with the nodes the command names marked', async () => {
    const file = 'shrunk-cases/0017-qemu-abort-error-setv.json';
    const { page, requests, url } = await openPage(file);
    const graphs = await implGraphs(file);
    const drawn = await readDrawnSteps(page);
    const last = drawn.at(-1);
    expect(last?.graphOf).toBe(String(drawn.length - 2));
    const before = graphs[drawn.length - 2];
    if (before == null) throw new Error('no graph before the crash');
    expect(last?.edges.slice().sort()).toEqual(expectedEdges(before));
    expect(last?.markedNodes.length).toBeGreaterThan(0);
    expect(await page.locator('#step-6 .reply-died').count()).toBe(1);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('a hang: the step says the daemon hangs, not that it died, and the finding says so first', async () => {
    const file = 'shrunk-cases/0059-qemu-hang-observe-block-status-blkverify-longer-than-raw.json';
    const { page, requests, url } = await openPage(file);
    expect(await page.locator('#step-1 .reply-died h3').textContent()).toBe('No reply: the daemon hangs');
    expect(await page.textContent('body')).toContain('The daemon hangs at step 1 (observe-block-status): it answers nothing more.');
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('fixture text stays text: a hostile description, message and file name run no script and load nothing', async () => {
    const base = JSON.parse(readFileSync('shrunk-cases/0008-edge-perms-match-driver-rules-blockdev-snapshot.json', 'utf8')) as Record<string, unknown>;
    const { hostileFixture } = await import('./hostile-fixture.ts');
    const file = join(dir, '9999-hostile.json');
    await writeFile(file, JSON.stringify(hostileFixture(base)));
    const { page, requests, url } = await openPage(file);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('img, iframe, object, [onerror], [onload]').count()).toBe(0);
    expect(await page.locator('header .message').textContent()).toContain('</script><script>alert(1)</script>');
    expect(await page.locator('g.node text', { hasText: '<img src=x onerror=alert(2)>' }).count()).toBeGreaterThan(0);
    expect(requests).toEqual([url]);
    await page.close();
  });
});
