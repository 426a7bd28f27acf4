/**
 * Flame graph colours. Functions are shades of red to orange, picked by a hash of the name so a
 * function keeps its colour everywhere; that range stays clear of the timeline's running
 * (green) and waiting (yellow) so a frame never reads as "waiting". Library frames are blue-grey,
 * thread roots grey, search matches purple. Lightness follows the theme so the theme's text
 * colour stays readable on every frame. No DOM here.
 */
import { hashName } from './flameLayout';

/** Hues of function frames, degrees: red (0) to orange (26); yellow starts near 45. */
export const FUNCTION_HUES = { from: 0, to: 26 } as const;

export type ThemeKind = 'light' | 'dark';

/** The fill of a function frame: the same name, the same colour. */
export function functionColor(name: string, theme: ThemeKind): string {
  const h = hashName(name);
  const hue = FUNCTION_HUES.from + (h % (FUNCTION_HUES.to - FUNCTION_HUES.from + 1));
  const shade = (h >>> 8) % 3;
  const lightness = theme === 'dark' ? 30 + shade * 4 : 70 + shade * 4;
  return `hsl(${hue}, 72%, ${lightness}%)`;
}

/** Three function colours across the range, for the legend's swatch. */
export function functionRamp(theme: ThemeKind): string[] {
  const lightness = theme === 'dark' ? 34 : 74;
  const mid = Math.round((FUNCTION_HUES.from + FUNCTION_HUES.to) / 2);
  return [FUNCTION_HUES.from, mid, FUNCTION_HUES.to].map((hue) => `hsl(${hue}, 72%, ${lightness}%)`);
}

export function libraryColor(theme: ThemeKind): string {
  return theme === 'dark' ? 'hsl(210, 22%, 34%)' : 'hsl(210, 30%, 80%)';
}

export function threadColor(theme: ThemeKind): string {
  return theme === 'dark' ? 'hsl(0, 0%, 30%)' : 'hsl(0, 0%, 84%)';
}

export function matchColor(theme: ThemeKind): string {
  return theme === 'dark' ? 'hsl(280, 45%, 42%)' : 'hsl(280, 55%, 78%)';
}

/** Dark and high-contrast dark themes want dark frames under light text. */
export function themeKind(bodyClasses: DOMTokenList | readonly string[]): ThemeKind {
  const has = (c: string) => Array.from(bodyClasses).includes(c);
  return has('vscode-dark') || (has('vscode-high-contrast') && !has('vscode-high-contrast-light'))
    ? 'dark'
    : 'light';
}

/**
 * A frame's fill while comparing runs: the theme's `hotpath.slower1…3` / `hotpath.faster1…3`
 * (the editor's gutter colours, as CSS variables), a neutral grey within noise. `read` gives a
 * theme variable's value or the fallback.
 */
export function changeColor(
  level: number,
  theme: ThemeKind,
  read: (name: string, fallback: string) => string,
): string {
  if (level === 0) return theme === 'dark' ? 'hsl(40, 6%, 36%)' : 'hsl(40, 8%, 84%)';
  const strength = Math.min(3, Math.abs(level));
  if (level > 0) {
    const fallback = theme === 'dark' ? ['#e8913a', '#f0703c', '#f14c4c'] : ['#f5b041', '#e67e22', '#e53935'];
    return read(`--vscode-hotpath-slower${strength}`, fallback[strength - 1]);
  }
  const fallback = theme === 'dark' ? ['#4fc1ff', '#3794ff', '#6c8cff'] : ['#81d4fa', '#42a5f5', '#1e88e5'];
  return read(`--vscode-hotpath-faster${strength}`, fallback[strength - 1]);
}
