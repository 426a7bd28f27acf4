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
