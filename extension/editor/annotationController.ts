/**
 * Owns the profile shown in the editors: builds its annotations from the
 * model with the user's settings, paints every visible editor of a sampled
 * file (and editors opened later), moves annotations with edits, marks files
 * whose content changed since the profile, and serves the CodeLens and hover
 * providers. Clearing the paint keeps the profile (it can be exported, its
 * panel shown, and painted again). One instance per extension activation.
 */
import * as vscode from 'vscode';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView } from '../model/processors';
import { hasGilData } from '../model/gcFrame';
import { SupersededError, type ViewBuilder } from '../views/viewBuilder';
import { contentHash, resolveProfilePath } from '../model/sourceFiles';
import { AnnotationStore, type TrackedFile } from './annotationStore';
import type { AnnotationStyle } from '../contributions/settingsSchema';
import { AnnotationDecorations } from './decorations';
import { buildEditorAnnotations, type EditorAnnotations } from '../views/editorViews';
import type { LineNeighbours } from '../views/lineNeighbours';
import { buildLineNeighbours } from '../views/lineNeighbours';
import type { LineEdit } from '../model/lineTracking';
import { buildCompareAnnotations, type ComparisonSummary } from '../views/compareAnnotations';
import { ProfileHistory, type ProgramOf } from './profileHistory';
import { setting, settingChanged } from '../contributions/settings';

/**
 * The editor's name for its profile in the view builder: one profile at a
 * time, and a panel showing the same profile shares the worker's copy.
 */
const EDITOR_KEY = 'editor';

/** Wait this long after the last keystroke before hashing a document again. */
const STALE_CHECK_DELAY_MS = 300;

export interface ShownProfile {
  raw: RawProfile;
  /** The view options the annotations were built with (settings, or the panel's filter). */
  options: ViewOptions;
  /** Time of that view (µs): the denominator of every share. */
  totalUs: number;
  /** Wall-clock time the view covers (µs); longer times are summed over threads. */
  wallUs: number;
  store: AnnotationStore;
  /** Absolute path → the path as the profile recorded it. */
  recorded: Map<string, string>;
  /** Source content hashes at profile time (absolute path → sha256). */
  hashes: ReadonlyMap<string, string>;
  /** Where the profile is saved, when it is. */
  source: vscode.Uri | undefined;
  /** Set while the paint compares this profile with a baseline. */
  comparison?: { label: string; summary: ComparisonSummary };
}

export class AnnotationController implements vscode.Disposable {
  private shown: ShownProfile | undefined;
  /** Clear Annotations took the paint away; the profile is kept. */
  private hidden = false;
  private readonly decorations = new AnnotationDecorations();
  /** Recorded path → its lines' callers and callees, asked of the view worker on first hover. */
  private readonly neighbours = new Map<string, Promise<Map<number, LineNeighbours>>>();
  /** Counts renders: one that finishes after a newer one started is dropped. */
  private renderGeneration = 0;
  private readonly staleTimers = new Map<string, NodeJS.Timeout>();
  /** Edits per file since the shown profile was taken. */
  private readonly editLog = new Map<string, LineEdit[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** The profile the shown one is compared with ("Compare with…"), until Stop Comparing or Clear. */
  private baseline: { raw: RawProfile; label: string } | undefined;
  /** Profiles shown lately and the edits since each: the previous run, and how its lines moved. */
  readonly history: ProfileHistory;
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires when annotations appear, move, go stale or disappear (CodeLens refresh). */
  readonly onDidChange = this.changed.event;

  /**
   * `views` builds annotations and hover neighbours on the view worker; without
   * it (tests) they are built here, on the calling thread. `programOf` says which runs are of one
   * program (Compare with… offers the previous one).
   */
  constructor(
    private readonly views?: ViewBuilder,
    programOf: ProgramOf = (raw) => raw.meta.argv.join('\0'),
  ) {
    this.history = new ProfileHistory(programOf);
    this.disposables.push(
      this.decorations,
      this.changed,
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.paint(e))),
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)),
      vscode.workspace.onDidOpenTextDocument((document) => this.checkStale(document)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        const shown = this.painted;
        if (!shown) return;
        if (settingChanged(event, 'timeMode', 'hideLibraryFrames', 'hideGcFrames', 'annotations.threshold')) {
          void this.render(shown.raw, shown.hashes, shown.source, settingsOptions());
        } else if (settingChanged(event, 'annotations.style')) {
          this.paintAll();
          this.changed.fire();
        }
      }),
    );
  }

  /** The latest profile shown, painted or not (Clear Annotations keeps it). */
  get current(): ShownProfile | undefined {
    return this.shown;
  }

  /** What the painted profile is compared with, while it is. */
  get comparedWith(): { raw: RawProfile; label: string } | undefined {
    return this.painted?.comparison ? this.baseline : undefined;
  }

  /** The profile painted in the editors, if any. */
  get painted(): ShownProfile | undefined {
    return this.hidden ? undefined : this.shown;
  }

  /**
   * Shows a profile in every editor, replacing the one shown before, through
   * the user's settings or the given view options (a panel's filter).
   * Resolves once it is painted (or a newer show or clear replaced it).
   * Showing what is painted already only records where it is saved.
   */
  show(
    raw: RawProfile,
    hashes: ReadonlyMap<string, string>,
    source?: vscode.Uri,
    options: ViewOptions = settingsOptions(),
  ): Promise<void> {
    const shown = this.painted;
    if (shown?.raw === raw && JSON.stringify(shown.options) === JSON.stringify(options)) {
      shown.source = source ?? shown.source;
      return Promise.resolve();
    }
    return this.render(raw, hashes, source, options);
  }

  /**
   * Re-renders the shown profile through other view options (the panel's time
   * range, threads or mode), so the editor shows what the panel shows.
   */
  applyView(options: ViewOptions): Promise<void> {
    if (!this.shown) return Promise.resolve();
    return this.render(this.shown.raw, this.shown.hashes, this.shown.source, options);
  }

  private async render(
    raw: RawProfile,
    hashes: ReadonlyMap<string, string>,
    source: vscode.Uri | undefined,
    requested: ViewOptions,
  ): Promise<void> {
    const generation = ++this.renderGeneration;
    // GIL time only where the profile recorded the holder (hotpath.timeMode: gil, an older file).
    const options: ViewOptions =
      requested.mode === 'gil' && !hasGilData(raw) ? { ...requested, mode: 'wall' } : requested;
    // A live snapshot is not a run of its own: the run's final profile is recorded when shown.
    if (!raw.meta.live) this.history.shown(raw);
    const thresholdPercent = setting('annotations.threshold');
    const baseline = this.baseline && this.baseline.raw !== raw ? this.baseline : undefined;
    const compared = baseline && {
      raw: baseline.raw,
      scale: 'auto' as const,
      moves: this.history.movesBetween(baseline.raw, raw),
    };
    let built: EditorAnnotations | undefined;
    try {
      // Off the extension host: a million samples take a few hundred ms to go through.
      built = await this.views?.annotate(EDITOR_KEY, raw, options, thresholdPercent, compared);
    } catch (error) {
      if (error instanceof SupersededError) return;
      // The worker failed: built here below rather than show nothing.
    }
    // A newer profile, filter or clear() came while this one was built.
    if (generation !== this.renderGeneration) return;
    built ??= compared
      ? buildCompareAnnotations(
          createView(compared.raw, options),
          createView(raw, options),
          thresholdPercent,
          compared.scale,
        )
      : buildEditorAnnotations(createView(raw, options), thresholdPercent);
    const recorded = new Map<string, string>();
    for (const file of new Set(raw.frameFile)) {
      const resolved = resolveProfilePath(raw.strings[file], raw.meta.cwd);
      if (resolved !== undefined && !recorded.has(resolved)) recorded.set(resolved, raw.strings[file]);
    }
    this.neighbours.clear();
    // Re-rendering the same profile (a setting or the panel's filter changed), or newer samples
    // of the same run (the live view, then its final profile), must not undo the way annotations
    // followed the user's edits: replay them on the new annotations.
    if (this.shown?.raw !== raw && !sameRun(this.shown?.raw, raw)) this.editLog.clear();
    const store = new AnnotationStore(built.files, hashes);
    for (const [path, edits] of this.editLog) store.applyEdits(path, edits);
    this.shown = {
      raw,
      options,
      totalUs: built.totalUs,
      wallUs: built.wallUs,
      store,
      recorded,
      hashes,
      source,
      comparison:
        baseline && built.comparison ? { label: baseline.label, summary: built.comparison } : undefined,
    };
    this.hidden = false;
    void vscode.commands.executeCommand(
      'setContext',
      'hotpath.comparing',
      this.shown.comparison !== undefined,
    );
    for (const document of vscode.workspace.textDocuments) this.checkStale(document, false);
    this.paintAll();
    this.changed.fire();
    void vscode.commands.executeCommand('setContext', 'hotpath.hasProfile', true);
  }

  /**
   * Paints the shown profile's change from `baseline` on every line (and keeps comparing new
   * profiles shown with it, until Stop Comparing or Clear Annotations). Resolves once painted.
   */
  compareWith(baseline: RawProfile, label: string): Promise<void> {
    const shown = this.shown;
    if (!shown) return Promise.resolve();
    this.baseline = { raw: baseline, label };
    return this.render(shown.raw, shown.hashes, shown.source, shown.options);
  }

  /** Back to the shown profile's own times. */
  stopComparing(): Promise<void> {
    this.baseline = undefined;
    const shown = this.shown;
    if (!shown) return Promise.resolve();
    return this.render(shown.raw, shown.hashes, shown.source, shown.options);
  }

  /** Starts the view worker ahead of a profile to show (a run has begun). */
  prepare(): void {
    this.views?.warm();
  }

  /** Records where the shown profile was saved (it is painted before it is written). */
  setSource(raw: RawProfile, source: vscode.Uri): void {
    if (this.shown?.raw === raw) this.shown.source = source;
  }

  /**
   * Takes the paint off the editors (heat, times, CodeLens, hovers) and keeps
   * the profile: Export, Show Panel and a later show still have it.
   */
  clear(): void {
    ++this.renderGeneration;
    this.hidden = true;
    // Clear Annotations leaves a comparison too: showing the profile again shows it alone.
    this.baseline = undefined;
    if (this.shown) this.shown.comparison = undefined;
    void vscode.commands.executeCommand('setContext', 'hotpath.comparing', false);
    for (const editor of vscode.window.visibleTextEditors) this.decorations.clear(editor);
    this.changed.fire();
  }

  fileFor(uri: vscode.Uri): TrackedFile | undefined {
    const shown = this.painted;
    if (!shown || uri.scheme !== 'file') return undefined;
    return shown.store.get(uri.fsPath);
  }

  /** Callers and callees of a line as it is now (after edits), or undefined. */
  async neighboursOf(uri: vscode.Uri, currentLine: number): Promise<LineNeighbours | undefined> {
    const shown = this.painted;
    const file = this.fileFor(uri);
    const annotation = file?.lines.get(currentLine);
    if (!shown || !file || !annotation) return undefined;
    const recorded = shown.recorded.get(file.path);
    if (recorded === undefined) return undefined;
    let lines = this.neighbours.get(recorded);
    if (!lines) {
      lines = this.views
        ? this.views.neighbours(EDITOR_KEY, shown.raw, shown.options, recorded)
        : Promise.resolve(buildLineNeighbours(createView(shown.raw, shown.options), recorded));
      const asked = lines;
      // A failed request is asked again by the next hover.
      asked.catch(() => {
        if (this.neighbours.get(recorded) === asked) this.neighbours.delete(recorded);
      });
      this.neighbours.set(recorded, lines);
    }
    try {
      // Neighbours are keyed by the profiled line, which edits may have moved.
      return (await lines).get(annotation.profiledLine);
    } catch {
      return undefined;
    }
  }

  /** An absolute path for a path as the profile recorded it. */
  resolve(recordedPath: string): string | undefined {
    return this.shown ? resolveProfilePath(recordedPath, this.shown.raw.meta.cwd) : undefined;
  }

  private style(): AnnotationStyle {
    return setting('annotations.style');
  }

  private paintAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
  }

  private paint(editor: vscode.TextEditor): void {
    const file = this.fileFor(editor.document.uri);
    if (file) this.decorations.apply(editor, file, this.style(), this.painted?.comparison !== undefined);
    else this.decorations.clear(editor);
  }

  /** A file of the shown profile, painted or not: edits are followed while the paint is off, too. */
  private tracked(uri: vscode.Uri): TrackedFile | undefined {
    return this.shown && uri.scheme === 'file' ? this.shown.store.get(uri.fsPath) : undefined;
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0 || event.document.uri.scheme !== 'file') return;
    const edits: LineEdit[] = event.contentChanges.map((change) => ({
      startLine: change.range.start.line + 1,
      startCharacter: change.range.start.character,
      endLine: change.range.end.line + 1,
      endCharacter: change.range.end.character,
      text: change.text,
    }));
    // Every file's edits: a later run compared with an earlier one matches lines through them.
    this.history.edited(event.document.uri.fsPath, edits);
    const file = this.tracked(event.document.uri);
    if (!file) return;
    const log = this.editLog.get(file.path) ?? [];
    log.push(...edits);
    this.editLog.set(file.path, log);
    if (this.shown!.store.applyEdits(file.path, edits)) {
      for (const editor of vscode.window.visibleTextEditors) {
        if (editor.document === event.document) this.paint(editor);
      }
      this.changed.fire();
    }
    const path = file.path;
    clearTimeout(this.staleTimers.get(path));
    this.staleTimers.set(
      path,
      setTimeout(() => {
        this.staleTimers.delete(path);
        this.checkStale(event.document);
      }, STALE_CHECK_DELAY_MS),
    );
  }

  private checkStale(document: vscode.TextDocument, notify = true): void {
    const file = this.tracked(document.uri);
    if (!file || document.isClosed) return;
    if (this.shown!.store.checkContent(file.path, contentHash(document.getText())) && notify)
      this.changed.fire();
  }

  dispose(): void {
    for (const timer of this.staleTimers.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** True when `next` holds newer samples of the run whose live samples `shown` held. */
function sameRun(shown: RawProfile | undefined, next: RawProfile): boolean {
  return shown?.meta.live === true && shown.meta.pid === next.meta.pid;
}

/** The view options of the editor's own paint: the user's settings. */
function settingsOptions(): ViewOptions {
  return {
    mode: setting('timeMode'),
    hideLibrary: setting('hideLibraryFrames'),
    hideStartup: true,
    ...(setting('hideGcFrames') ? { hideGc: true } : {}),
  };
}
