import { DATA_ELEMENT_ID, type ReportData } from "../../results/report-data.ts";

/** JSON inside a <script> element: `<` is escaped so no string in it can close the element. */
export function embedJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
#app { max-width: 1400px; margin: 0 auto; padding: 16px 20px 48px; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { margin: 28px 0 8px; font-size: 20px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 20px 0 6px; font-size: 16px; }
.note, .muted { color: var(--muted); }
.warning { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; border-radius: 6px; }
.warning p { margin: 2px 0; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 12px 0; }
.selector { max-width: 100%; } .selector select { max-width: min(560px, calc(100vw - 150px)); font: inherit; padding: 2px 4px; }
.host { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; background: var(--soft); padding: 8px 12px; border-radius: 6px; }
.host dt { font-weight: 600; } .host dd { margin: 0; overflow-wrap: anywhere; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 16px; margin-top: 12px; }
@media (max-width: 700px) { .charts { grid-template-columns: 1fr; } .host { grid-template-columns: 1fr; } }
.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; min-width: 0; }
.canvas-box { position: relative; height: 300px; width: 100%; }
.canvas-box.short { height: 220px; }
.timelines { grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); }
.headlines { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(300px, 100%), 1fr)); gap: 12px; margin: 12px 0; }
.headline { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 0; }
.headline h3 { margin: 0 0 4px; overflow-wrap: anywhere; }
.headline .badge { white-space: normal; overflow-wrap: anywhere; max-width: 100%; }
.headline dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0 0; }
.headline dt { color: var(--muted); } .headline dd { margin: 0; overflow-wrap: anywhere; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
table.data { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px; display: block; overflow-x: auto; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.data th { background: var(--soft); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; margin: 1px 2px; font-size: 12px; white-space: nowrap; border: 1px solid transparent; }
.flag { background: #ffebe9; color: #82071e; border-color: #ff818266; }
.verdict-pass { background: #dafbe1; color: #116329; } .verdict-fail { background: #ffebe9; color: #82071e; font-weight: 700; border-color: #cf222e; }
.verdict-expected-fail { background: #fff8c5; color: #7d4e00; border-style: dashed; border-color: #d4a72c; }
.verdict-not-applicable, .verdict-none { background: #eff2f5; color: #59636e; } .verdict-info { background: #ddf4ff; color: #0a3069; }
.verdict-error { background: #cf222e; color: #fff; font-weight: 700; }
.verdict-not-judged { background: #eff2f5; color: #59636e; border-style: dotted; border-color: #8c959f; }
details pre { max-height: 260px; overflow: auto; background: var(--soft); padding: 6px; font-size: 12px; }
.goals { margin: 8px 0; padding-left: 20px; }
`;

/** The whole page: style, data and the bundled dashboard inline, so it opens from a file with no network. */
export function renderPage(data: ReportData, appJs: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>bustbench report</title>
<style>${STYLE}</style>
</head>
<body>
<div id="app"><p>Loading… (this page needs JavaScript)</p></div>
<script id="${DATA_ELEMENT_ID}" type="application/json">${embedJson(data)}</script>
<script>${appJs.replace(/<\/script/gi, "<\\/script")}</script>
</body>
</html>
`;
}
