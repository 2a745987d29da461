/** Tiny DOM helpers. Text always goes in as textContent: nothing is ever parsed as HTML. */
type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** Saves text as a file through a temporary link: it goes to the user's disk, nowhere else. */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Makes `zone` a drop target: highlighted while files hover, `take` gets what is dropped. */
export function dropZone(zone: HTMLElement, take: (data: DataTransfer) => void): void {
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dropzone--over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dropzone--over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dropzone--over');
    if (e.dataTransfer) take(e.dataTransfer);
  });
}

/**
 * A table that may be wider than the column it sits in (the game's side panel), in a region that
 * scrolls sideways on its own; focusable, so that a keyboard can scroll it too.
 */
export function scrollingTable(table: HTMLTableElement): HTMLElement {
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': table.caption?.textContent ?? '', tabindex: '0' }, table);
}

/**
 * A data table: a caption, column headings, and rows whose first cell heads the row. `numeric`
 * says which columns hold figures (right-aligned); by default every column but the first.
 */
export function dataTable(caption: string, head: string[], rows: (string | Node)[][], options: { numeric?: boolean[]; className?: string } = {}): HTMLTableElement {
  const numeric = (k: number) => (options.numeric ? options.numeric[k] : k > 0);
  return h(
    'table',
    { class: options.className },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((x, k) => h('th', { scope: 'col', class: numeric(k) ? 'num' : undefined }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((x, k) => (k === 0 ? h('th', { scope: 'row' }, x) : h('td', { class: numeric(k) ? 'num' : undefined }, x)))))),
  );
}
