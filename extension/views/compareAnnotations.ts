/**
 * What the editor shows while comparing the shown profile with a baseline: each line's change of
 * total time (`+120 ms · +35%`) and a diverging level for its gutter mark (slower warm, faster
 * cool), lines the baseline had and the new run has not (`−35 ms · gone`), and each function's
 * CodeLens with its change. Changes within sampling noise get no mark and no text. Built on the
 * view worker like the plain annotations; no `vscode` import.
 */
import {
  changeLevel,
  compareViews,
  type Change,
  type Comparison,
  type LineChange,
  type MoveLine,
} from '../model/compare';

export { CHANGE_LEVEL_COUNT, changeLevel } from '../model/compare';
import type { CompareScale } from '../model/compareScale';
import { formatRatioChange, formatTimeChange } from '../model/displayFormat';
import type { ProfileView } from '../model/processors';
import { resolveProfilePath } from '../model/sourceFiles';
import { isNestedCode, type FileAnnotations, type LineAnnotation } from './annotationModel';
import { buildEditorAnnotations, type EditorAnnotations } from './editorViews';

/** A line's change, as the editor paints it. */
export interface LineChangeMark {
  /** Baseline (in the new run's terms) and new total time, µs. */
  baseUs: number;
  newUs: number;
  diffUs: number;
  ratio: number | undefined;
  status: LineChange['status'];
  significant: boolean;
  /** 1…3 slower, −1…−3 faster, 0 within noise. */
  level: number;
  /** `+120 ms · +35%`. */
  label: string;
}

/** How the comparison was made, for the hover and the status bar. */
export interface ComparisonSummary {
  scale: CompareScale;
  reason: string;
  /** Total time shown, baseline (in the new run's terms) and new, µs. */
  baseUs: number;
  newUs: number;
}

export function changeLabel(change: Change): string {
  return `${formatTimeChange(change.diffUs)} · ${formatRatioChange(change.ratio)}`;
}

/**
 * The new run's annotations with the change from `base` on every line and function. Lines are
 * matched through `moveBaseLine` (the edits made between the runs) when given.
 */
export function buildCompareAnnotations(
  base: ProfileView,
  next: ProfileView,
  thresholdPercent: number,
  scale: CompareScale | 'auto' = 'auto',
  moveBaseLine?: MoveLine,
): EditorAnnotations {
  const annotations = buildEditorAnnotations(next, thresholdPercent);
  const comparison = compareViews(base, next, scale, moveBaseLine);
  const cwd = next.profile.meta.cwd;
  const fileFor = (recorded: string): FileAnnotations | undefined => {
    const path = resolveProfilePath(recorded, cwd);
    if (path === undefined) return undefined;
    let file = annotations.files.get(path);
    if (!file) annotations.files.set(path, (file = { path, lines: [], functions: [] }));
    return file;
  };
  const linesByFile = new Map<FileAnnotations, Map<number, LineAnnotation>>();
  for (const change of comparison.lines) {
    if (change.line <= 0) continue;
    const file = fileFor(change.file);
    if (!file) continue;
    let lines = linesByFile.get(file);
    if (!lines) linesByFile.set(file, (lines = new Map(file.lines.map((l) => [l.line, l]))));
    const mark = lineMark(change);
    const shown = lines.get(change.line);
    if (shown) {
      shown.change = mark;
      shown.inline = mark.significant ? mark.label : undefined;
      shown.hot = false;
    } else if (mark.significant) {
      // Gone from the new run: shown where it was (or where the edits moved it).
      const gone: LineAnnotation = {
        line: change.line,
        selfUs: 0,
        totalUs: 0,
        selfSamples: 0,
        totalSamples: 0,
        share: 0,
        selfShare: 0,
        level: 1,
        inline: mark.label,
        hot: false,
        change: mark,
      };
      file.lines.push(gone);
      lines.set(change.line, gone);
    }
  }
  const functionChanges = new Map(comparison.functions.map((f) => [`${f.file}\0${f.name}`, f]));
  for (const [path, file] of annotations.files) {
    file.lines.sort((a, b) => a.line - b.line);
    for (const fn of file.functions) {
      const [recorded] = fn.key.split('\0');
      const change = functionChanges.get(`${recorded}\0${fn.name}`)?.total;
      if (change?.significant) fn.title += ` · ${changeLabel(change)} vs baseline`;
      else if (change) fn.title += ' · unchanged (within noise)';
    }
    if (file.lines.length === 0 && file.functions.length === 0) annotations.files.delete(path);
  }
  for (const fn of comparison.functions) {
    if (fn.status !== 'vanished' || !fn.total.significant || isNestedCode(fn.name)) continue;
    const file = fileFor(fn.file);
    file?.functions.push({
      key: `${fn.file}\0${fn.name}\0${fn.firstLine}`,
      name: fn.name,
      firstLine: fn.firstLine,
      totalUs: 0,
      selfUs: 0,
      share: 0,
      samples: 0,
      title: `$(flame) ${fn.name}: not run any more · ${changeLabel(fn.total)} vs baseline`,
    });
    file?.functions.sort((a, b) => a.firstLine - b.firstLine);
  }
  annotations.comparison = summary(comparison);
  return annotations;
}

function lineMark(change: LineChange): LineChangeMark {
  const total = change.total;
  return {
    baseUs: total.scaledBaseUs,
    newUs: total.newUs,
    diffUs: total.diffUs,
    ratio: total.ratio,
    status: change.status,
    significant: total.significant,
    level: changeLevel(total),
    label: changeLabel(total),
  };
}

function summary(comparison: Comparison): ComparisonSummary {
  return {
    scale: comparison.scale,
    reason: comparison.reason,
    baseUs: comparison.base.totalUs * comparison.baseFactor,
    newUs: comparison.next.totalUs,
  };
}
