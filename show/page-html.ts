// The whole page for one fixture or scenario: self-contained HTML (inline CSS, script and SVG; a CSP forbids any load).
import { createHash } from 'node:crypto';
import { PAGE_CSS, PAGE_SCRIPT } from './page-assets.ts';
import { replyClass, stepSection } from './page-step.ts';
import { PERM_LEGEND } from './perm-letters.ts';
import type { StepPicture } from './step-pictures.ts';
import type { StepTrace } from './step-trace.ts';
import { escapeHtml } from './text-escape.ts';

export interface PageInput {
  readonly title: string;
  /** The finding in words, the raw message, the signature; absent for a plain scenario. */
  readonly finding?: { readonly words: string; readonly message: string; readonly signature: string; readonly step: number };
  readonly description?: string;
  readonly trace: StepTrace;
  readonly initial: { readonly picture: StepPicture; readonly svg: string | null } | null;
  readonly pictures: readonly { readonly picture: StepPicture; readonly svg: string | null }[];
  readonly graphvizVersion: string;
}

const LEGEND =
  'Nodes: blue = format, yellow = filter, grey = protocol, dashed outline = read-only; purple tag = BlockBackend, green hexagon = job. ' +
  'Green outline = new since the step before, orange = changed, red = named by the finding. Edge labels: role, then perm/shared in QEMU’s letters (';

function header(p: PageInput): string {
  const f = p.finding;
  const finding =
    f === undefined
      ? `<p>${escapeHtml(p.description ?? 'A scenario (no finding).')}</p>`
      : `<p class="finding">${escapeHtml(f.words)}</p><div class="message">${escapeHtml(f.message === '' ? '(no message: a silent death, such as a segfault)' : f.message)}</div>` +
        `<p>signature <code>${escapeHtml(f.signature)}</code>${p.description === undefined ? '' : ` · ${escapeHtml(p.description)}`}</p>`;
  return (
    `<header><h1>${escapeHtml(p.title)}</h1>${finding}` +
    `<p class="hint">replayed on ${escapeHtml(p.trace.targetText)} · layout by Graphviz ${escapeHtml(p.graphvizVersion)}</p>` +
    `<p class="legend">${escapeHtml(LEGEND)}${escapeHtml(PERM_LEGEND)}).</p></header>`
  );
}

function nav(p: PageInput): string {
  const items: string[] = [];
  if (p.initial !== null) items.push('<li><a href="#step-start">start: images and graph</a></li>');
  for (const s of p.trace.steps) {
    const cls = [replyClass(s.reply) === 'reply-died' ? 'died' : '', p.finding?.step === s.index ? 'finding-step' : ''].filter((c) => c !== '').join(' ');
    const mark = replyClass(s.reply) === 'reply-error' ? ' ✗' : replyClass(s.reply) === 'reply-died' ? ' ☠' : '';
    items.push(`<li><a href="#step-${s.index}"${cls === '' ? '' : ` class="${cls}"`}>${s.index}. ${escapeHtml(s.command.execute)}${mark}</a></li>`);
  }
  return `<nav aria-label="steps"><ol>${items.join('')}</ol></nav>`;
}

export function pageHtml(p: PageInput): string {
  const sections: string[] = [];
  if (p.initial !== null) sections.push(stepSection({ step: null, picture: p.initial.picture, svg: p.initial.svg, total: p.trace.steps.length, isFinding: false }));
  for (const [i, s] of p.trace.steps.entries()) {
    const pic = p.pictures[i];
    if (pic === undefined) continue;
    sections.push(stepSection({ step: s, picture: pic.picture, svg: pic.svg, total: p.trace.steps.length, isFinding: p.finding?.step === s.index }));
  }
  const scriptHash = createHash('sha256').update(PAGE_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'`;
  // the finding's step opens first (its index among the sections, the start section counted)
  const start = p.finding === undefined ? 0 : p.finding.step + (p.initial === null ? 0 : 1);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(p.title)} — bgcheck show</title>`,
    `<style>${PAGE_CSS}</style></head>`,
    `<body data-start="${start}">`,
    header(p),
    nav(p),
    `<main>${sections.join('\n')}</main>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
