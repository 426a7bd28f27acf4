/**
 * What the editor shows of a profile view, computed without the editor so
 * that it runs on the view worker (viewWorker.ts) as well as
 * on the extension host: the annotations of every sampled file. Hovers ask
 * for a file's callers and callees with buildLineNeighbours. No `vscode` import.
 */
import { buildFunctionTable } from '../model/functionTable';
import { buildLineTable } from '../model/lineTable';
import type { ProfileView } from '../model/processors';
import { buildAnnotations, type FileAnnotations } from './annotationModel';
import type { ComparisonSummary } from './compareAnnotations';

export interface EditorAnnotations {
  /** Absolute path → that file's annotations. */
  files: Map<string, FileAnnotations>;
  /** Time of the whole view (µs): the denominator of every share. */
  totalUs: number;
  /**
   * Wall-clock time the view covers (µs): the run, or its time range. Times
   * above it are summed over threads that ran at once.
   */
  wallUs: number;
  /** Set while the annotations compare the profile with a baseline (compareAnnotations.ts). */
  comparison?: ComparisonSummary;
}

export function buildEditorAnnotations(view: ProfileView, thresholdPercent: number): EditorAnnotations {
  const range = view.options.range;
  const wallUs = range ? range.end - range.start : view.profile.meta.durationUs;
  const files = buildAnnotations(buildLineTable(view), buildFunctionTable(view), view.profile.meta.cwd, {
    thresholdPercent,
    wallUs: wallUs > 0 ? wallUs : undefined,
  });
  return { files, totalUs: view.totalUs, wallUs };
}
