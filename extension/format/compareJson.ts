/**
 * A comparison as JSON for scripts (`hotpath report --compare BASE NEW --format json`): every
 * entry, significant or not, biggest change first; documented in docs/profile-format.md
 * ("Comparison"). Times are µs in the new run's terms (see model/compareScale.ts); a ratio with no
 * baseline is null.
 */
import type { Change, ComparedEntry, Comparison } from '../model/compare';
import type { RawProfile } from '../model/rawProfile';
import type { RunSummary } from '../model/compareScale';
import type { TimeMode } from '../model/types';

export const COMPARISON_FORMAT = 'hotpath-comparison';
export const COMPARISON_VERSION = 1;

type ChangeJson = Omit<Change, 'ratio'> & { ratio: number | null };

export function comparisonJson(
  comparison: Comparison,
  runs: { base: RawProfile; next: RawProfile; baseFile: string; newFile: string; mode: TimeMode },
): string {
  const bySelf = (a: ComparedEntry, b: ComparedEntry) =>
    Math.abs(b.self.diffUs) - Math.abs(a.self.diffUs) || Math.abs(b.total.diffUs) - Math.abs(a.total.diffUs);
  const byTotal = (a: ComparedEntry, b: ComparedEntry) =>
    Math.abs(b.total.diffUs) - Math.abs(a.total.diffUs) || Math.abs(b.self.diffUs) - Math.abs(a.self.diffUs);
  const entry = (e: ComparedEntry) => ({
    status: e.status,
    total: changeJson(e.total),
    self: changeJson(e.self),
  });
  return JSON.stringify(
    {
      format: COMPARISON_FORMAT,
      version: COMPARISON_VERSION,
      scale: comparison.scale,
      reason: comparison.reason,
      baseFactor: comparison.baseFactor,
      mode: runs.mode,
      base: run(runs.baseFile, runs.base, comparison.base),
      new: run(runs.newFile, runs.next, comparison.next),
      functions: [...comparison.functions]
        .sort(bySelf)
        .map((f) => ({ file: f.file, name: f.name, firstLine: f.firstLine, ...entry(f) })),
      lines: [...comparison.lines].sort(bySelf).map((l) => ({ file: l.file, line: l.line, ...entry(l) })),
      paths: [...comparison.paths]
        .sort(byTotal)
        .map((p) => ({ frames: comparison.pathIds.frames(p.id), ...entry(p) })),
    },
    null,
    1,
  );
}

function changeJson(change: Change): ChangeJson {
  return { ...change, ratio: change.ratio ?? null };
}

function run(file: string, profile: RawProfile, summary: RunSummary) {
  const { meta } = profile;
  return {
    file,
    argv: meta.argv,
    pythonVersion: meta.pythonVersion,
    startedAt: meta.startedAt,
    exitCode: meta.exitCode,
    exitSignal: meta.exitSignal,
    ...summary,
  };
}
