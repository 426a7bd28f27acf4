/**
 * Element creation for the panel. Text always goes in through textContent:
 * profile strings (function names, paths) are never parsed as HTML.
 */
import { visibleText } from './format';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = visibleText(text);
  return node;
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Reads a theme colour (`--vscode-…`) with a fallback for the standalone harness. */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** Calls `onChange` when VS Code switches the theme (it swaps the body's classes and variables). */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'style'],
  });
}

/** Coalesces repeated calls into one per animation frame. */
export function frameScheduler(work: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      work();
    });
  };
}

/** Puts a tooltip beside the pointer inside `host`, flipped left at its right edge. */
export function placeTooltip(tooltip: HTMLElement, host: HTMLElement, e: MouseEvent): void {
  const box = host.getBoundingClientRect();
  const left = Math.min(e.clientX - box.left + 12, box.width - tooltip.offsetWidth - 4);
  tooltip.style.left = `${Math.max(0, left)}px`;
  tooltip.style.top = `${e.clientY - box.top + 16}px`;
}

/** `text` cut with an ellipsis to fit `width` pixels on a canvas ('' when not even a letter fits). */
export function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  const charWidth = ctx.measureText('m').width || 7;
  const chars = Math.floor(width / charWidth) - 1;
  return chars > 1 ? `${text.slice(0, chars)}…` : '';
}
