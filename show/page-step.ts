// One step's section of the page: the command, the reply, events, what went away, and the picture.
import { wireJson, wireJsonIndented } from '../qmp/json/wire-text.ts';
import type { QmpEvent } from '../qmp/types.ts';
import type { StepPicture } from './step-pictures.ts';
import type { StepReply, TraceStep } from './step-trace.ts';
import { escapeHtml } from './text-escape.ts';

/** Long replies (query-named-block-nodes) fold away. */
const FOLD_LINES = 30;

function pre(text: string): string {
  const lines = text.split('\n').length;
  const body = `<pre>${escapeHtml(text)}</pre>`;
  return lines > FOLD_LINES ? `<details><summary>${lines} lines</summary>${body}</details>` : body;
}

export function replyClass(r: StepReply): string {
  switch (r.kind) {
    case 'reply':
      return 'error' in r.reply ? 'reply-error' : 'reply-ok';
    case 'died':
    case 'replied-then-died':
      return 'reply-died';
    case 'not-sent':
      return 'reply-none';
  }
}

function replyHtml(r: StepReply): string {
  switch (r.kind) {
    case 'reply':
      return `<h3>Reply</h3>${pre(wireJsonIndented(r.reply, 2))}`;
    case 'died':
      if (r.hung !== undefined) return `<h3>No reply: the daemon hangs</h3>${pre(r.hung)}`;
      return `<h3>No reply: the daemon died</h3>${pre(r.stderr.trim() === '' ? '(nothing on stderr: a signal such as SIGSEGV)' : r.stderr.trim())}`;
    case 'replied-then-died':
      return `<h3>Reply, then the daemon died in what the command started</h3>${pre(wireJsonIndented(r.reply, 2))}${pre(r.stderr.trim())}`;
    case 'not-sent':
      return '<h3>Not sent</h3><p class="hint">The daemon had died or hung at an earlier step.</p>';
  }
}

function eventsHtml(events: readonly QmpEvent[]): string {
  if (events.length === 0) return '';
  const lines = events.map((e) => `${e.event} ${wireJson(e.data ?? {})}`);
  return `<h3>Events</h3>${pre(lines.join('\n'))}`;
}

function figureHtml(p: StepPicture, svg: string | null): string {
  const removed = p.view !== null && p.view.removed.length > 0 ? `<p class="removed">gone since the step before: ${escapeHtml(p.view.removed.join('; '))}</p>` : '';
  const graphOf = p.graphOf === null ? 'none' : String(p.graphOf);
  // svg is Graphviz's output for a DOT whose every text was escaped (graph-dot.ts)
  const body = svg ?? `<p class="hint">${escapeHtml(p.caption)}</p>`;
  return `${removed}<figure class="graph" data-graph-of="${escapeHtml(graphOf)}">${body}<figcaption>${escapeHtml(p.caption)}</figcaption></figure>`;
}

export interface StepSectionInput {
  readonly step: TraceStep | null;
  readonly picture: StepPicture;
  readonly svg: string | null;
  readonly total: number;
  readonly isFinding: boolean;
}

export function stepSection(s: StepSectionInput): string {
  const id = s.step === null ? 'step-start' : `step-${s.step.index}`;
  const title =
    s.step === null ? 'Before the first command' : `Step ${s.step.index} of ${s.total - 1}: ${escapeHtml(s.step.command.execute)}${s.isFinding ? ' — the finding' : ''}`;
  const command = s.step === null ? '' : `<h3>Command</h3>${pre(wireJson(s.step.command))}`;
  const reply = s.step === null ? '' : `<div class="${replyClass(s.step.reply)}">${replyHtml(s.step.reply)}</div>`;
  const events = s.step === null ? '' : eventsHtml(s.step.events);
  const pager = '<p class="pager"><a href="#" data-go="-1">&larr; previous</a><a href="#" data-go="1">next &rarr;</a><span class="hint">keys: &larr; &rarr; (or j k), Home, End</span></p>';
  const finding = s.isFinding ? ' data-finding="true"' : '';
  return `<section class="step" id="${id}"${finding}><h2>${title}</h2>${pager}${command}${reply}${events}${figureHtml(s.picture, s.svg)}</section>`;
}
