/**
 * What the exports share: which stack each sample is written under, and how a
 * frame's file is named as a URL. An export is data for other tools, so every
 * sample the view keeps is written, none is dropped for having no visible frame:
 *
 * - a thread sampled while it had no Python frames (start-up, finalisation, a
 *   thread a C library created) is written under `[no Python frames]`;
 * - a sample whose every frame is hidden (library frames merged into their
 *   callers, and no caller of the user's own) is written under
 *   `[hidden frames]`, the name the text tree gives the same time.
 *
 *   exportViewOptions(hideLibrary, mode) — the view an export is made through
 *   const paths = visibleStackTree(view, keyOf);
 *   const path = exportPathOf(view, paths, i); // ≥ 0: a visible path; else a placeholder
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProfileView, VisibleStackTree } from '../model/processors';
import type { TimeMode, ViewOptions } from '../model/types';

export const HIDDEN_FRAMES = '[hidden frames]';
export const NO_PYTHON_FRAMES = '[no Python frames]';

/** Path ids of the placeholders, beside the tree's own ids (which are ≥ 0). */
export const HIDDEN_PATH = -1;
export const NO_FRAMES_PATH = -2;
/** Added to a path id so that every id, placeholders included, is ≥ 0. */
export const PATH_ID_OFFSET = 2;

/** The path sample `i` is written under (call only for samples the view keeps). */
export function exportPathOf(view: ProfileView, paths: VisibleStackTree, i: number): number {
  const stack = view.profile.sampleStack[i];
  if (stack < 0) return NO_FRAMES_PATH;
  const path = paths.ofStack[stack];
  return path < 0 ? HIDDEN_PATH : path;
}

/** The frame name a placeholder path stands for. */
export function placeholderName(path: number): string {
  return path === NO_FRAMES_PATH ? NO_PYTHON_FRAMES : HIDDEN_FRAMES;
}

/**
 * What an export holds: every thread and every sample (of the on-CPU ones in `cpu` mode), with
 * every frame unless the user asked to merge library and start-up frames into their callers.
 * The time range and thread selection of a panel are ways of looking, not of exporting.
 */
export function exportViewOptions(hideLibrary: boolean, mode: TimeMode = 'wall'): ViewOptions {
  return { mode, hideLibrary, hideStartup: hideLibrary };
}

/**
 * A frame's file as a URL, for formats that name sources by URL (.cpuprofile, Firefox Profiler):
 * `file://` for a real file (a relative path is the program's working directory's), the name as it
 * is for `<frozen …>` and `<string>` (no file, the name is all there is).
 */
export function sourceUrl(file: string, cwd: string): string {
  if (file === '' || (file.startsWith('<') && file.endsWith('>'))) return file;
  return pathToFileURL(path.resolve(cwd || '/', file)).href;
}
