// Layout and drawing by Graphviz (dot), compiled to WebAssembly by @viz-js/viz: DOT in, SVG out, in-process.
import { instance, type Viz } from '@viz-js/viz';

export type RenderResult = { readonly ok: true; readonly svg: string } | { readonly ok: false; readonly message: string };

/** One Graphviz instance for a whole run (it takes ~100 ms to start); the caller owns it. */
export interface GraphRenderer {
  readonly graphvizVersion: string;
  svg(dot: string): RenderResult;
}

export async function graphRenderer(): Promise<GraphRenderer> {
  const viz: Viz = await instance();
  return {
    graphvizVersion: viz.graphvizVersion,
    svg(dot: string): RenderResult {
      const r = viz.render(dot, { format: 'svg', engine: 'dot' });
      if (r.status !== 'success') return { ok: false, message: r.errors.map((e) => e.message).join('; ') };
      // the XML prolog and DOCTYPE are for standalone files; inline SVG in HTML starts at <svg
      return { ok: true, svg: r.output.slice(Math.max(0, r.output.indexOf('<svg'))) };
    },
  };
}
