/**
 * How hot a line is: the heat levels of the editor's gutter marks and of the
 * HTML report's painted source. No imports, so the report page (a browser
 * bundle) shares the editor's rules.
 */

/** Number of heat levels; matches the `hotpath.heat1`…`heat5` theme colours. */
export const HEAT_LEVEL_COUNT = 5;

/**
 * Lower share bounds (fractions of the total) of heat levels 2…5. The steps are
 * roughly logarithmic because shares are: a handful of lines hold most of the
 * time, and the difference between 0.1% and 1% matters as much as 10% to 50%.
 */
const HEAT_LEVEL_FLOORS = [0.005, 0.02, 0.05, 0.15];

/**
 * A line is tinted as a hot spot when at least this share of all time is spent
 * *in* it (self time). Total time would tint every caller on the way down to
 * the real work (`main()` is always 100%), which says nothing.
 */
export const HOT_SPOT_SELF_SHARE = 0.05;

/** The heat level (1…HEAT_LEVEL_COUNT) of a line holding `share` of the total time. */
export function heatLevel(share: number): number {
  let level = 1;
  for (const floor of HEAT_LEVEL_FLOORS) if (share >= floor) level += 1;
  return level;
}
