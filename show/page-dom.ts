// Reads back from a page in the browser what each step's picture draws: node names and edges, as a person sees them.
import type { Page } from 'playwright-core';

export interface DrawnStep {
  readonly id: string;
  /** The figure's data-graph-of: whose graph it draws (`none` when there is no picture). */
  readonly graphOf: string;
  /** The first line of every node's label: its canonical name. */
  readonly nodes: readonly string[];
  /** `parent -role-> child perm/shared`, from each edge's endpoints and label lines. */
  readonly edges: readonly string[];
  readonly markedNodes: readonly string[];
  readonly markedEdges: readonly string[];
}

/** Runs in the page: plain DOM reads, no page script involved. */
export function readDrawnSteps(page: Page): Promise<DrawnStep[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('section.step')).map((section) => {
      const fig = section.querySelector('figure.graph');
      const nameOf = new Map<string, string>();
      const nodes = Array.from(section.querySelectorAll('g.node')).map((g) => {
        const name = g.querySelector('text')?.textContent ?? '';
        nameOf.set(g.querySelector('title')?.textContent ?? '', name);
        return { name, marked: g.classList.contains('bg-marked') };
      });
      const edges = Array.from(section.querySelectorAll('g.edge')).map((g) => {
        const [p = '', c = ''] = (g.querySelector('title')?.textContent ?? '').split('->');
        const [role = '', perms = ''] = Array.from(g.querySelectorAll('text')).map((t) => t.textContent ?? '');
        return { text: `${nameOf.get(p) ?? '?'} -${role}-> ${nameOf.get(c) ?? '?'} ${perms}`, marked: g.classList.contains('bg-marked') };
      });
      return {
        id: section.id,
        graphOf: fig?.getAttribute('data-graph-of') ?? 'none',
        nodes: nodes.map((n) => n.name),
        edges: edges.map((e) => e.text),
        markedNodes: nodes.filter((n) => n.marked).map((n) => n.name),
        markedEdges: edges.filter((e) => e.marked).map((e) => e.text),
      };
    }),
  );
}
