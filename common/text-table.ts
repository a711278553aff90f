/**
 * The one aligned text table every console output uses: columns padded to their widest cell,
 * numbers right-aligned, two spaces between columns, trailing spaces trimmed. A column may be
 * clipped to the room a terminal leaves it.
 */
export interface Column {
  header: string;
  align?: "left" | "right";
}

export interface TableOptions {
  /** Put before every line. */
  indent?: string;
  /** The last column is clipped (with …) so that lines fit this width. */
  width?: number;
  /** Print the header row (default true). */
  header?: boolean;
}

export function textTable(
  columns: readonly (Column | string)[],
  rows: ReadonlyArray<readonly string[]>,
  { indent = "", width, header = true }: TableOptions = {},
): string[] {
  const cols = columns.map((c) => (typeof c === "string" ? { header: c, align: "left" as const } : c));
  const all = header ? [cols.map((c) => c.header), ...rows] : [...rows];
  const widths = cols.map((_, i) => Math.max(0, ...all.map((row) => (row[i] ?? "").length)));
  const last = cols.length - 1;
  if (width !== undefined && last >= 0) {
    const used = indent.length + widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
    widths[last] = Math.min(widths[last] ?? 0, Math.max(20, width - used));
  }
  return all.map((row) =>
    `${indent}${cols
      .map((col, i) => {
        const cell = clip(row[i] ?? "", widths[i] ?? 0);
        return col.align === "right" ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0);
      })
      .join("  ")}`.trimEnd(),
  );
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
