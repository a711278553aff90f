/**
 * The only way the dashboard creates elements: text goes through textContent,
 * never through HTML, so that a target named `<img onerror=...>` stays text.
 */
export interface ElementOptions {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: ReadonlyArray<Node | string | null | undefined> = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** A table from a header row and body rows of cells (strings or nodes). */
export function table(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<Node | string>>,
  options: { class?: string; testId?: string; numeric?: ReadonlySet<number> } = {},
): HTMLTableElement {
  const numeric = options.numeric ?? new Set<number>();
  return el(
    "table",
    { class: options.class ?? "data", attrs: options.testId ? { "data-testid": options.testId } : {} },
    [
      el("thead", {}, [
        el(
          "tr",
          {},
          header.map((h, i) => el("th", { text: h, class: numeric.has(i) ? "num" : "" })),
        ),
      ]),
      el(
        "tbody",
        {},
        rows.map((row) =>
          el(
            "tr",
            {},
            row.map((cell, i) => el("td", { class: numeric.has(i) ? "num" : "" }, [cell])),
          ),
        ),
      ),
    ],
  );
}

export function section(
  title: string,
  id: string,
  children: ReadonlyArray<Node | null>,
  note?: string,
): HTMLElement {
  return el("section", { attrs: { id } }, [
    el("h2", { text: title }),
    note ? el("p", { class: "note", text: note }) : null,
    ...children,
  ]);
}

/**
 * A link that downloads `data` as a JSON file, built from the data embedded in the page: it works
 * when the HTML file is shared alone, without the result files beside it.
 */
export function jsonDownload(text: string, fileName: string, data: unknown, testId?: string): HTMLElement {
  const link = el("a", {
    text,
    attrs: {
      href: "#",
      download: fileName.split("/").pop() ?? fileName,
      ...(testId ? { "data-testid": testId } : {}),
    },
  });
  link.addEventListener("click", () => {
    const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    link.setAttribute("href", url);
    // The download starts from this click; the URL is freed once it has.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return link;
}
