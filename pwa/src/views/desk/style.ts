// The desk's stylesheet, adopted once when the desk loads (its own chunk; the tablet's CSS stays as it was).
// Desktop layout for 1280–1920 px; contrast ≥ 4.5:1 (WCAG 2.2 AA); states are never told by colour alone.
const CSS = `
.desk { min-height: 100vh; background: #f4f6fa; color: #000; }
.desk .skip { position: absolute; left: -9999px; }
.desk .skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 10; }
.desk-head { display: flex; flex-wrap: nowrap; align-items: center; gap: 6px; padding: 8px 12px; background: #0b3d91;
  color: #fff; white-space: nowrap; }
.desk-head .btn { min-height: 36px; padding: 4px 10px; font-size: .95rem; flex: none; }
.desk-brand { font-weight: 700; font-size: 1.1rem; margin-right: 8px; }
.desk-head nav ul { display: flex; gap: 4px; list-style: none; margin: 0; padding: 0; }
.desk-head nav a { color: #fff; text-decoration: none; padding: 8px 7px; border-radius: 4px; display: inline-block; }
.desk-head nav a:hover { background: #123f8f; text-decoration: underline; }
.desk-head nav a[aria-current="page"] { background: #fff; color: #0b3d91; font-weight: 700; }
.desk-user { margin-left: auto; overflow: hidden; text-overflow: ellipsis; min-width: 0; max-width: 160px; }
.desk .wide { overflow-x: auto; }
.desk .form.grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px 12px; align-items: end; }
.desk .form.grid h2 { grid-column: 1 / -1; margin: 0; }
.desk-main { max-width: 1840px; margin: 0 auto; padding: 16px 24px 48px; }
.desk-main:focus { outline: none; }
.desk h1 { font-size: 1.5rem; margin: 8px 0 12px; }
.desk h2 { font-size: 1.2rem; margin: 20px 0 8px; }
.desk .panel { background: #fff; border: 1px solid #8a8f98; border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
.desk .filters { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px 12px; align-items: end; }
.desk .filters label, .desk .form label { display: flex; flex-direction: column; font-size: .9rem; gap: 2px; }
.desk input, .desk select, .desk textarea { font: inherit; padding: 6px 8px; border: 1px solid #4a4a4a; border-radius: 4px;
  min-height: 36px; background: #fff; color: #000; }
.desk .check { flex-direction: row !important; align-items: center; gap: 6px !important; }
.desk table { border-collapse: collapse; width: 100%; background: #fff; }
.desk th, .desk td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #b8bcc4; vertical-align: top; }
.desk th { background: #e6eaf2; }
.desk .num { text-align: right; font-variant-numeric: tabular-nums; }
.desk .split { display: grid; grid-template-columns: minmax(0, 2fr) minmax(320px, 1fr); gap: 16px; align-items: start; }
.desk .pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.desk .dk-tag { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 6px; font-size: .85rem; }
.desk .dk-tag.bad { color: #a4000f; font-weight: 700; }
.desk .dk-tag.ok { color: #0a5c1f; }
.desk .far { background: #ffe1e1; border: 2px solid #a4000f; padding: 6px 10px; font-weight: 700; }
.desk .nearok { border-left: 4px solid #0a5c1f; padding-left: 8px; }
.desk .dk-item { border-top: 1px solid #b8bcc4; padding: 8px 0; display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 12px; }
.desk .dk-item.changed { border-left: 6px double #7a4d00; padding-left: 8px; background: #fff8e6; }
.desk .dk-item .dk-legal { font-size: .9rem; color: #333; }
.desk .status-non_compliant { color: #a4000f; font-weight: 700; }
.desk .status-non_compliant::before { content: "✗ "; }
.desk .status-compliant { color: #0a5c1f; }
.desk .status-compliant::before { content: "✓ "; }
.desk .thumbs { display: flex; flex-wrap: wrap; gap: 8px; }
.desk .thumbs figure { margin: 0; width: 160px; }
.desk .thumbs img { width: 160px; height: 120px; object-fit: cover; border: 1px solid #4a4a4a; background: #ddd; }
.desk .full img { max-width: 100%; max-height: 80vh; }
.desk .mono { font-family: ui-monospace, monospace; word-break: break-all; }
.desk .ok-msg { background: #e6f4ea; border: 1px solid #0a5c1f; padding: 8px; }
.desk .err-msg { background: #ffe1e1; border: 1px solid #a4000f; padding: 8px; }
.desk .comment-given { background: #fff3c4; border-left: 4px solid #7a4d00; padding: 4px 8px; }
.desk .sticky { position: sticky; top: 8px; }
.desk svg text { font-size: 12px; fill: #000; }
.desk .bar-done { fill: #0b3d91; }
.desk .bar-assigned { fill: #fff; stroke: #0b3d91; stroke-width: 1.5; }
.desk .bar-count { fill: #5a2d82; }
.desk .legend { display: flex; gap: 16px; font-size: .9rem; }
.desk .legend .sw { display: inline-block; width: 14px; height: 14px; vertical-align: middle; margin-right: 4px; border: 1.5px solid #0b3d91; }
.desk .legend .sw.done { background: #0b3d91; }
.desk .tabs { display: flex; gap: 8px; margin-bottom: 12px; }
.desk .tabs a { padding: 6px 12px; border: 1px solid #0b3d91; border-radius: 4px; text-decoration: none; }
.desk .tabs a[aria-current="page"] { background: #0b3d91; color: #fff; }
.desk .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.desk summary { min-height: 36px; padding: 6px 0; cursor: pointer; font-weight: 600; }
.desk-idle { position: sticky; top: 0; z-index: 20; display: flex; align-items: center; gap: 16px; padding: 12px 24px;
  background: #fff4ce; color: #000; border-bottom: 3px solid #8a6d00; font-weight: 600; }
.desk-idle p { margin: 0; }
/* exports (issue 19): a sixth screen in the header still fits on one line from 1280 px */
@media (max-width: 1599px) {
  .desk-brand { font-size: 1rem; margin-right: 2px; }
  .desk-head { gap: 4px; padding: 8px 8px; }
  .desk-head nav a { padding: 8px 5px; }
  .desk-user { max-width: 120px; }
}
`;

let installed = false;

export function installStyle(): void {
  if (installed) return;
  installed = true;
  // A constructed stylesheet, not a <style> element: the Content-Security-Policy (style-src 'self', no inline
  // styles) refuses inline <style>, while CSSOM sheets are the script's own (Chromium 73+, Safari 16.4+).
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
