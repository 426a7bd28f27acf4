/**
 * The annotations currently shown, per file, as they stand after the user's
 * edits: line numbers shifted, replaced lines dropped, and a file marked
 * stale once its content no longer matches the profile. No `vscode` import:
 * the editor glue feeds it edits and content hashes.
 */
import type { FileAnnotations, FunctionAnnotation, LineAnnotation } from '../views/annotationModel';
import type { LineEdit } from '../model/lineTracking';
import { mapLineThroughEdits } from '../model/lineTracking';

/** A line annotation where it is now; `profiledLine` is where the profile saw it. */
export interface TrackedLine extends LineAnnotation {
  profiledLine: number;
}

export interface TrackedFile {
  path: string;
  /** Current 1-based line → annotation (its `line` is the current line). */
  lines: Map<number, TrackedLine>;
  functions: FunctionAnnotation[];
  /** Hash of the content the profile was taken on, when known. */
  profiledHash: string | undefined;
  /** True once the content differs from the profiled one. */
  stale: boolean;
  /** True once edits moved or removed annotations (the hover says so). */
  edited: boolean;
}

export class AnnotationStore {
  private readonly files = new Map<string, TrackedFile>();

  constructor(annotations: Map<string, FileAnnotations>, hashes: ReadonlyMap<string, string> = new Map()) {
    for (const [path, file] of annotations) {
      this.files.set(path, {
        path,
        lines: new Map(file.lines.map((line) => [line.line, { ...line, profiledLine: line.line }])),
        functions: file.functions.map((fn) => ({ ...fn })),
        profiledHash: hashes.get(path),
        stale: false,
        edited: false,
      });
    }
  }

  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  get(path: string): TrackedFile | undefined {
    return this.files.get(path);
  }

  /**
   * Compares the file's current content with the profiled one. Returns true
   * when the stale flag changed. Unknown hashes (a profile from elsewhere)
   * never mark a file stale.
   */
  checkContent(path: string, hash: string): boolean {
    const file = this.files.get(path);
    if (!file || file.profiledHash === undefined) return false;
    const stale = hash !== file.profiledHash;
    if (stale === file.stale) return false;
    file.stale = stale;
    return true;
  }

  /** Moves the file's annotations through edits; returns true when any line moved or vanished. */
  applyEdits(path: string, edits: readonly LineEdit[]): boolean {
    const file = this.files.get(path);
    if (!file || edits.length === 0) return false;
    let changed = false;
    const moved = new Map<number, TrackedLine>();
    for (const annotation of file.lines.values()) {
      const line = mapLineThroughEdits(annotation.line, edits);
      if (line !== annotation.line) changed = true;
      if (line === undefined) continue;
      annotation.line = line;
      moved.set(line, annotation);
    }
    const functions: FunctionAnnotation[] = [];
    for (const fn of file.functions) {
      const line = mapLineThroughEdits(fn.firstLine, edits);
      if (line !== fn.firstLine) changed = true;
      if (line === undefined) continue;
      fn.firstLine = line;
      functions.push(fn);
    }
    if (changed) {
      file.lines = moved;
      file.functions = functions;
      file.edited = true;
    }
    return changed;
  }
}
