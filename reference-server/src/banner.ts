/** The start-up box, BustAPI-style: title and URL centred, then dotted label/value pairs, two per row. */
export interface BannerContent {
  title: string;
  url: string;
  fields: ReadonlyArray<readonly [label: string, value: string | number]>;
}

const CELL = 24;
const GAP = "   ";

export function renderBanner({ title, url, fields }: BannerContent): string {
  const cells = fields.map(([label, value]) => dotted(label, String(value), CELL));
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 2) rows.push(cells.slice(i, i + 2).join(GAP));
  const inner = Math.max(title.length, url.length, ...rows.map((row) => row.length)) + 4;
  const line = (text: string) => `│${text.padEnd(inner)}│`;
  return [
    `┌${"─".repeat(inner)}┐`,
    line(centre(title, inner)),
    line(centre(url, inner)),
    ...rows.map((row) => line(`  ${row}`)),
    `└${"─".repeat(inner)}┘`,
  ].join("\n");
}

function dotted(label: string, value: string, width: number): string {
  const dots = Math.max(3, width - label.length - value.length - 2);
  return `${label} ${".".repeat(dots)} ${value}`;
}

function centre(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return " ".repeat(Math.max(0, left)) + text;
}
