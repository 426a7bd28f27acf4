/**
 * Colours of a comparison's gutter marks and inline text: a diverging scale, slower warm (orange
 * to red) and faster cool (light to deep blue), stronger with the change. As with the heat
 * colours, the theme colours `hotpath.slower1…3` and `hotpath.faster1…3` (package.json
 * `contributes.colors`) colour the overview ruler and can be changed by themes; gutter icons are
 * images drawn with the same defaults, which a unit test keeps equal.
 */
import { CHANGE_LEVEL_COUNT } from '../views/compareAnnotations';
import type { HeatColour } from './heatColors';

export const SLOWER_COLOURS: readonly HeatColour[] = [
  { id: 'hotpath.slower1', dark: '#e8913a99', light: '#cb6b0099' },
  { id: 'hotpath.slower2', dark: '#f0703c', light: '#d35400' },
  { id: 'hotpath.slower3', dark: '#f14c4c', light: '#c62828' },
];

export const FASTER_COLOURS: readonly HeatColour[] = [
  { id: 'hotpath.faster1', dark: '#4fc1ff99', light: '#0288d199' },
  { id: 'hotpath.faster2', dark: '#3794ff', light: '#1565c0' },
  { id: 'hotpath.faster3', dark: '#6c8cff', light: '#0d47a1' },
];

/** Theme colours of the inline change text. */
export const SLOWER_FOREGROUND = 'hotpath.slowerForeground';
export const FASTER_FOREGROUND = 'hotpath.fasterForeground';

if (SLOWER_COLOURS.length !== CHANGE_LEVEL_COUNT || FASTER_COLOURS.length !== CHANGE_LEVEL_COUNT)
  throw new Error('one colour per change level');
