/**
 * The profiles the editor showed lately, and the edits made to the code since each: what
 * "Hotpath: Compare with…" offers as the previous run of a program, and how the lines of a
 * baseline moved before the run it is compared with was taken. No `vscode` import (unit-tested).
 *
 * Edits go into one journal (absolute path, edit) in the order the editor reported them; a
 * profile remembers where the journal stood when it was shown. The lines of a baseline are where
 * the edits between its position and the new run's put them.
 */
import type { LineEdit } from '../model/lineTracking';
import type { RawProfile } from '../model/rawProfile';

/** Profiles remembered (the oldest is forgotten first). */
const MAX_PROFILES = 8;
/** Edits remembered; a profile shown before the oldest one kept has no known moves. */
const MAX_EDITS = 20_000;

interface Entry {
  raw: RawProfile;
  /** Journal position (edits recorded before it was shown, counting forgotten ones). */
  position: number;
  program: string;
}

/** Which program a profile is of: two runs of one program have the same key. */
export type ProgramOf = (raw: RawProfile) => string;

export class ProfileHistory {
  private readonly entries: Entry[] = [];
  private journal: { path: string; edit: LineEdit }[] = [];
  /** Edits dropped from the front of the journal. */
  private forgotten = 0;

  constructor(private readonly programOf: ProgramOf) {}

  /** The editor shows `raw` now (again: it keeps its first position). Live snapshots are not kept. */
  shown(raw: RawProfile): void {
    if (raw.meta.live) return;
    const existing = this.entries.findIndex((e) => e.raw === raw);
    const entry =
      existing >= 0
        ? this.entries.splice(existing, 1)[0]
        : { raw, position: this.end, program: this.programOf(raw) };
    this.entries.push(entry);
    if (this.entries.length > MAX_PROFILES) this.entries.shift();
  }

  /** Edits to a file (absolute path), in the editor's order. */
  edited(path: string, edits: readonly LineEdit[]): void {
    for (const edit of edits) this.journal.push({ path, edit });
    const over = this.journal.length - MAX_EDITS;
    if (over > 0) {
      this.journal = this.journal.slice(over);
      this.forgotten += over;
    }
  }

  /** The profile shown here that `raw` (read from a file) is a copy of: the same run. */
  sameRun(raw: RawProfile): RawProfile | undefined {
    const { pid, startedAt } = raw.meta;
    return this.entries.find((e) => e.raw.meta.pid === pid && e.raw.meta.startedAt === startedAt)?.raw;
  }

  /** The run of the same program shown before `raw`, the latest first. */
  previousRun(raw: RawProfile): RawProfile | undefined {
    const program = this.entries.find((e) => e.raw === raw)?.program;
    if (program === undefined) return undefined;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      const sameRun = entry.raw.meta.pid === raw.meta.pid && entry.raw.meta.startedAt === raw.meta.startedAt;
      if (entry.raw !== raw && !sameRun && entry.program === program) return entry.raw;
    }
    return undefined;
  }

  /**
   * The edits made after `base` was shown and before `next` was, per file: where `base`'s lines
   * are in the code `next` profiled. Empty when either is unknown, `base` came later, or the
   * journal no longer reaches back to it (lines are then matched by number).
   */
  movesBetween(base: RawProfile, next: RawProfile): [string, LineEdit[]][] {
    const from = this.entries.find((e) => e.raw === base)?.position;
    const to = this.entries.find((e) => e.raw === next)?.position ?? this.end;
    if (from === undefined || from > to || from < this.forgotten) return [];
    const byPath = new Map<string, LineEdit[]>();
    for (const { path, edit } of this.journal.slice(from - this.forgotten, to - this.forgotten)) {
      const list = byPath.get(path) ?? [];
      list.push(edit);
      byPath.set(path, list);
    }
    return [...byPath];
  }

  private get end(): number {
    return this.forgotten + this.journal.length;
  }
}
