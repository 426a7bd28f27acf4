/**
 * One webview panel showing one profile: serves the page, answers its
 * messages (reveal, filter, select, error) and re-computes the view when the
 * filter changes. The page holds no profile between loads; the host posts it
 * again whenever the page says it is ready (first load, shown again after
 * being hidden, window reload).
 */
import * as vscode from 'vscode';
import type { RawProfile } from '../model/rawProfile';
import { panelHtml } from './panelHtml';
import {
  DEFAULT_FILTER,
  isWebviewToHost,
  type FilterState,
  type HostToWebview,
  type SetProfileMessage,
  type WebviewToHost,
} from '../views/protocol';
import { revealSource } from './revealSource';
import { SupersededError, type ViewBuilder } from '../views/viewBuilder';
import { sanitizeFilter, startingMode } from '../views/viewModel';

export const PANEL_VIEW_TYPE = 'hotpath.profile';

/** Added to the title of a panel whose profile the editor does not show. */
export const NOT_PAINTED = '(not in editor)';

export interface PanelHooks {
  /** The filter changed (from the page or the host); the editor repaints with it. */
  onFilter(panel: ProfilePanel, filter: FilterState): void;
  onSelect(panel: ProfilePanel, location: { file: string; line: number; name: string }): void;
  onDispose(panel: ProfilePanel): void;
  log(message: string): void;
}

export class ProfilePanel implements vscode.Disposable {
  private filter: FilterState = DEFAULT_FILTER;
  private last: SetProfileMessage | undefined;
  private highlight: { file: string; line: number } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Which profile the view worker holds for this panel: a new one for every setProfile. */
  private generation = 0;
  /** The latest view request; an older one that completes late is not shown. */
  private request = 0;
  private disposed = false;
  /** The profile the tree's changes are from, while the editor compares this one with it. */
  private baseline: { raw: RawProfile; label: string } | undefined;

  /** The title without the note that the editor shows another profile. */
  private baseTitle: string;
  private painting = true;
  /** The editor that keeps the keyboard while the page loads (see returnFocusOnLoad). */
  private focusReturn: vscode.TextEditor | 'visible' | undefined;

  /**
   * @param key which program the panel is for (see panelKey): a re-run shows in the same panel.
   * @param profileId the profile shown: a saved file's path (a reload re-opens it) or a run id.
   */
  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    readonly key: string,
    private id: string,
    private raw: RawProfile | undefined,
    private readonly hooks: PanelHooks,
    private readonly builder: ViewBuilder,
  ) {
    this.baseTitle = panel.title;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get profileId(): string {
    return this.id;
  }

  get profile(): RawProfile | undefined {
    return this.raw;
  }

  /**
   * Whether the editor shows this panel's profile; a panel whose profile is
   * not painted says so in its title (the panel in front paints the editor).
   */
  setPainting(painting: boolean): void {
    if (painting === this.painting || this.disposed) return;
    this.painting = painting;
    this.panel.title = this.title;
  }

  private get title(): string {
    return this.painting ? this.baseTitle : `${this.baseTitle} ${NOT_PAINTED}`;
  }

  get currentFilter(): FilterState {
    return this.filter;
  }

  /**
   * Shows a (possibly new) profile in this panel: a re-run of the program
   * replaces the one shown. A new profile keeps the time mode and "show all"
   * but not a time range or threads, which belonged to the other run; newer
   * samples of the same run (`sameRun`, the live view) keep the whole filter.
   */
  setProfile(raw: RawProfile, profileId = this.id, title?: string, sameRun = false): void {
    if (raw !== this.raw && !sameRun) {
      const { mode, showAll, hideGc } = this.filter;
      this.filter = this.raw ? { mode, showAll, ...(hideGc ? { hideGc } : {}) } : { ...this.filter };
      this.filter.mode = startingMode(raw, mode);
    }
    this.builder.forget(this.workerKey);
    this.generation++;
    this.raw = raw;
    this.id = profileId;
    if (title !== undefined && title !== this.baseTitle) {
      this.baseTitle = title;
      this.panel.title = this.title;
    }
    this.last = undefined;
    this.postProfile();
  }

  private get workerKey(): string {
    return `${this.key}\0${this.generation}`;
  }

  /**
   * Colours the tree and the flame graph by each node's change from `baseline` (the editor
   * compares this panel's profile with it), or stops.
   */
  setBaseline(baseline: { raw: RawProfile; label: string } | undefined): void {
    if (baseline?.raw === this.baseline?.raw && baseline?.label === this.baseline?.label) return;
    this.baseline = baseline;
    this.postProfile();
  }

  /** A filter chosen on the host side (a command, the editor): the page follows. */
  setFilter(filter: FilterState): void {
    this.filter = filter;
    void this.post({ type: 'setOptions', filter });
    this.postProfile();
    this.hooks.onFilter(this, filter);
  }

  setHighlight(location: { file: string; line: number } | undefined): void {
    this.highlight = location;
    void this.post({ type: 'highlight', location });
  }

  /** Brings the panel to the front of its group without taking the keyboard from the editor. */
  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  }

  /**
   * The page about to load must not keep the keyboard: if it takes it while
   * it loads (its call tree focuses itself), `editor` gets it back. Only for
   * that load: once the page is ready, a click into it keeps the keyboard there.
   */
  returnFocusOnLoad(editor: vscode.TextEditor | 'visible' | undefined): void {
    this.focusReturn = editor;
  }

  private giveBackFocus(): void {
    // 'visible' (a panel restored by a reload, before the editors are): the editor shown by then.
    const editor =
      this.focusReturn === 'visible'
        ? (vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0])
        : this.focusReturn;
    this.focusReturn = undefined;
    // The page's focus does not always reach the workbench's idea of the active editor, so this
    // does not ask `panel.active`: the editor gets the keyboard back unless another one has it now.
    const active = vscode.window.activeTextEditor;
    if (!editor || editor.document.isClosed || (active && active.document !== editor.document)) return;
    void vscode.window.showTextDocument(editor.document, {
      viewColumn: editor.viewColumn,
      selection: editor.selection,
      preserveFocus: false,
    });
  }

  private html(): string {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const webview = this.panel.webview;
    return panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
  }

  private onMessage(data: unknown): void {
    if (!isWebviewToHost(data)) {
      this.hooks.log(`panel: ignored a message without a type: ${JSON.stringify(data)}`);
      return;
    }
    const message: WebviewToHost = data;
    switch (message.type) {
      case 'ready': {
        // The page's saved filter is the user's latest choice (it survives hiding and reloads).
        const restored = message.filter ? sanitizeFilter(message.filter) : undefined;
        const changed = restored !== undefined && JSON.stringify(restored) !== JSON.stringify(this.filter);
        if (restored && changed) this.filter = restored;
        // Shown again after being hidden: the page is new but the view is not, so resend it as is.
        if (!changed && this.last && this.last.filter === this.filter) void this.post(this.last);
        else this.postProfile();
        if (this.highlight) void this.post({ type: 'highlight', location: this.highlight });
        if (changed) this.hooks.onFilter(this, this.filter);
        this.giveBackFocus();
        break;
      }
      case 'reveal':
        void revealSource(
          message.file,
          message.line,
          this.raw?.meta.cwd ?? '',
          this.panel.viewColumn,
          message.preserveFocus === true,
        );
        break;
      case 'filter': {
        const { type: _type, ...filter } = message;
        this.filter = sanitizeFilter(filter);
        this.postProfile();
        this.hooks.onFilter(this, this.filter);
        break;
      }
      case 'select':
        this.hooks.onSelect(this, { file: message.file, line: message.line, name: message.name });
        break;
      case 'error':
        this.hooks.log(`panel page error: ${message.message}${message.stack ? `\n${message.stack}` : ''}`);
        break;
      default: {
        const unknown: never = message;
        this.hooks.log(`panel: unknown message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Builds the view for the current filter on the view worker and posts it.
   * Requests overlap when the filter changes quickly; only the latest is shown.
   */
  private postProfile(): void {
    const raw = this.raw;
    if (!raw) return;
    const request = ++this.request;
    const filter = this.filter;
    const started = Date.now();
    this.builder
      .build(
        this.workerKey,
        raw,
        filter,
        { profileId: this.id, title: this.baseTitle },
        this.last,
        this.baseline,
      )
      .then(
        (message) => {
          if (request !== this.request || this.disposed) return;
          this.last = message;
          void this.post(message);
          this.hooks.log(
            `panel: view built in ${Date.now() - started} ms (${message.view.tree.parent.length} nodes)`,
          );
        },
        (error: Error) => {
          if (error instanceof SupersededError || request !== this.request || this.disposed) return;
          // A failed build must not leave the page waiting forever: say so there and in the log.
          const text = `The view could not be built (HOTPATH_PANEL_VIEW_FAILED): ${error.message}`;
          this.hooks.log(`panel: ${text}\n${error.stack ?? ''}`);
          void this.post({ type: 'notice', text });
        },
      );
  }

  private post(message: HostToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.builder.forget(this.workerKey);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.hooks.onDispose(this);
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}
