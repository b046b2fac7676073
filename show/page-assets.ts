// The page's own CSS and script, inline (the page opens from disk with no network). Plain constants: no fixture text.

export const PAGE_CSS = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #24292f; background: #fff; }
body { margin: 0; display: grid; grid-template-columns: 17rem 1fr; min-height: 100vh; }
header { grid-column: 1 / 3; padding: 0.8rem 1.2rem; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header h1 { font-size: 1.15rem; margin: 0 0 0.4rem; }
header p { margin: 0.25rem 0; }
.finding { font-weight: 600; }
.message { white-space: pre-wrap; background: #fff8c5; border: 1px solid #d4a72c; padding: 0.4rem 0.6rem; font-size: 0.85rem; margin: 0.4rem 0; }
nav { border-right: 1px solid #d0d7de; padding: 0.6rem; font-size: 0.85rem; overflow-y: auto; }
nav ol { list-style: none; margin: 0; padding: 0; }
nav a { display: block; padding: 0.2rem 0.4rem; border-radius: 4px; color: inherit; text-decoration: none; }
nav a.current { background: #0969da; color: #fff; }
nav a.finding-step { border-left: 4px solid #d1242f; }
nav a.died { text-decoration: line-through; }
main { padding: 0.8rem 1.2rem; overflow-x: auto; }
.js section.step:not(.current) { display: none; }
section.step h2 { font-size: 1.05rem; margin: 0.2rem 0 0.6rem; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 0.4rem 0.6rem; font-size: 0.8rem; overflow-x: auto; max-height: 24rem; }
.reply-error pre { border-color: #cf222e; }
.reply-died pre { border-color: #cf222e; background: #ffebe9; }
.pager { margin: 0.6rem 0; display: flex; gap: 1rem; }
figure { margin: 0.6rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption, .hint, .legend { font-size: 0.8rem; color: #57606a; }
.removed { color: #bc4c00; font-size: 0.85rem; }
`;

/** Steps through the sections: arrow keys, j/k, Home/End, and the links; the hash names the step. */
export const PAGE_SCRIPT = `
(() => {
  const sections = Array.from(document.querySelectorAll('section.step'));
  const links = Array.from(document.querySelectorAll('nav a'));
  if (sections.length === 0) return;
  document.documentElement.classList.add('js');
  let current = 0;
  const show = (i, keepHash) => {
    current = Math.max(0, Math.min(sections.length - 1, i));
    sections.forEach((s, k) => s.classList.toggle('current', k === current));
    links.forEach((a, k) => a.classList.toggle('current', k === current));
    const id = sections[current].id;
    if (!keepHash && location.hash !== '#' + id) history.replaceState(null, '', '#' + id);
  };
  const fromHash = () => {
    const i = sections.findIndex((s) => '#' + s.id === location.hash);
    return i < 0 ? Number(document.body.dataset.start || 0) : i;
  };
  links.forEach((a, k) => a.addEventListener('click', (ev) => { ev.preventDefault(); show(k); }));
  document.querySelectorAll('[data-go]').forEach((b) => b.addEventListener('click', (ev) => {
    ev.preventDefault();
    show(current + Number(b.getAttribute('data-go')));
  }));
  document.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === 'ArrowRight' || ev.key === 'j' || ev.key === 'n') show(current + 1);
    else if (ev.key === 'ArrowLeft' || ev.key === 'k' || ev.key === 'p') show(current - 1);
    else if (ev.key === 'Home') show(0);
    else if (ev.key === 'End') show(sections.length - 1);
    else return;
    ev.preventDefault();
  });
  window.addEventListener('hashchange', () => show(fromHash()));
  show(fromHash(), true);
})();
`;
