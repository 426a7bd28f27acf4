/**
 * A scrollable list of fixed-height rows where only the rows in view (plus a
 * small overscan) exist in the DOM. Row elements are pooled and re-filled by
 * the owner's `render` callback as the window moves.
 */
import { el, frameScheduler } from './dom';
import { scrollToReveal, visibleWindow } from './virtualWindow';

export const ROW_HEIGHT = 22;

export class VirtualList {
  readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly pool: HTMLElement[] = [];
  private rowCount = 0;
  private readonly schedule: () => void;

  constructor(
    className: string,
    private readonly createRow: () => HTMLElement,
    private readonly renderRow: (row: HTMLElement, index: number) => void,
  ) {
    this.viewport = el('div', `vlist ${className}`);
    this.viewport.tabIndex = 0;
    this.spacer = el('div', 'vlist-spacer');
    this.viewport.appendChild(this.spacer);
    this.schedule = frameScheduler(() => this.render());
    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  setRowCount(count: number): void {
    this.rowCount = count;
    this.spacer.style.height = `${count * ROW_HEIGHT}px`;
    this.render();
  }

  /** Re-fills the rows in view (after the data behind them changed). */
  refresh(): void {
    this.render();
  }

  reveal(index: number): void {
    const top = scrollToReveal(index, this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT);
    if (top !== this.viewport.scrollTop) this.viewport.scrollTop = top;
    this.render();
  }

  /** Rows that fit in the viewport: the step of Page Up / Page Down. */
  pageSize(): number {
    return Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
  }

  /** The row index of an event target inside the list, or -1. */
  rowOf(target: EventTarget | null): number {
    const row = (target as Element | null)?.closest?.('[data-row]') as HTMLElement | null;
    return row ? Number(row.dataset.row) : -1;
  }

  private render(): void {
    const win = visibleWindow(this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT, this.rowCount);
    const needed = win.end - win.start;
    while (this.pool.length < needed) {
      const row = this.createRow();
      row.style.height = `${ROW_HEIGHT}px`;
      this.pool.push(row);
      this.viewport.appendChild(row);
    }
    // Rows no longer needed leave the DOM. Hiding them is not enough: a row class that sets
    // `display` (every list's does) overrides the `hidden` attribute, and the old rows stayed on
    // screen with the values of the previous view.
    for (const row of this.pool.splice(needed)) row.remove();
    for (let i = 0; i < needed; i++) {
      const row = this.pool[i];
      const index = win.start + i;
      row.dataset.row = String(index);
      row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
      this.renderRow(row, index);
    }
  }
}
