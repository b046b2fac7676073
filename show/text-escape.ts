// Escaping for every place fixture text lands in markup: fixtures are shared files and may hold anything.
import { wireJson } from '../qmp/json/wire-text.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Control characters and lone surrogates shown as `\xNN` / U+FFFD, so no renderer sees them raw. */
export function visible(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML/XML element content and attribute values (also Graphviz HTML-like labels). */
export function escapeHtml(s: string): string {
  return visible(s).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** One line of a `#` comment (bash, Python): no line breaks of any kind survive. */
export function commentLine(s: string): string {
  return visible(s).replace(/[\r\n\u0085\u2028\u2029]+/g, ' ');
}

/** JSON inside an HTML <script> element: `</script>` and `<!--` cannot close or open anything. */
export function jsonForScript(v: unknown): string {
  return wireJson(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
