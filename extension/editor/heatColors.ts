/**
 * Heat colours of the gutter marks. The theme colours `hotpath.heat1…5`
 * (declared in package.json `contributes.colors`) colour the overview ruler
 * and can be changed by themes; gutter icons are images, which cannot refer
 * to theme colours, so they are drawn with the same defaults for light and
 * dark themes. A unit test keeps the two tables equal.
 */
import { HEAT_LEVEL_COUNT } from '../views/heatLevels';

export interface HeatColour {
  /** Theme colour id. */
  id: string;
  dark: string;
  light: string;
}

export const HEAT_COLOURS: readonly HeatColour[] = [
  { id: 'hotpath.heat1', dark: '#3794ff66', light: '#3794ff66' },
  { id: 'hotpath.heat2', dark: '#2aa19899', light: '#2aa19899' },
  { id: 'hotpath.heat3', dark: '#d7ba7d', light: '#b58900' },
  { id: 'hotpath.heat4', dark: '#e8913a', light: '#cb6b00' },
  { id: 'hotpath.heat5', dark: '#f14c4c', light: '#d32f2f' },
];

if (HEAT_COLOURS.length !== HEAT_LEVEL_COUNT) throw new Error('one heat colour per heat level');

/**
 * A gutter mark: a bar whose width grows with the level, so the levels stay
 * distinguishable without colour.
 */
export function heatIconDataUri(colour: string, level: number): string {
  const width = 3 + level;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">` +
    `<rect x="${16 - width}" y="1" width="${width}" height="14" rx="1" fill="${colour}"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
