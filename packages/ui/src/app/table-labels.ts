/**
 * On a phone a table's rows become cards (styles.css) and its header is out of sight: each cell
 * gets its column's name as `data-label`, which the phone style shows before the value
 * ("Start: 07/12 09:00"). One observer for every table of the page, so pages and table
 * components need not know about it; cells that already have a label keep it.
 */
export function labelTableCells(root: HTMLElement): () => void {
  let queued = false;
  const label = () => {
    queued = false;
    for (const table of root.querySelectorAll("table")) {
      const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
      if (heads.length === 0) continue;
      for (const row of table.querySelectorAll("tbody tr")) {
        [...row.children].forEach((cell, i) => {
          const name = heads[i];
          if (name && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
        });
      }
    }
  };
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(label);
  });
  observer.observe(root, { childList: true, subtree: true });
  label();
  return () => observer.disconnect();
}
