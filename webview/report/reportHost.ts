/**
 * The report page's host: what the extension does for the panel, done inside
 * the page from the embedded data. It stands in for `acquireVsCodeApi` before
 * the panel script runs and answers the panel's messages (extension/panel/
 * protocol.ts) with the same host-side view model the extension uses:
 * `ready` and `filter` get a view built from the embedded profile, `reveal`
 * and `select` open the line in the source pane, `error` goes to the console.
 */
import { HEAT_COLOURS } from '../../extension/editor/heatColors';
import {
  MISSING_TEXT,
  REPORT_PROFILE_ID,
  REPORT_SOURCES_ID,
  type MissingReason,
  type ReportSource,
  type ReportSources,
} from '../../extension/format/htmlReportData';
import { loadProfile } from '../../extension/format/profileFile';
import { buildLineTable } from '../../extension/model/lineTable';
import { createView } from '../../extension/model/processors';
import type { RawProfile } from '../../extension/model/rawProfile';
import {
  DEFAULT_FILTER,
  isWebviewToHost,
  type FilterState,
  type HostToWebview,
  type PanelState,
  type SetProfileMessage,
  type WebviewToHost,
} from '../../extension/views/protocol';
import {
  buildProfileMessage,
  buildViewPart,
  sanitizeFilter,
  startingMode,
  scriptLabel,
  viewOptionsFor,
} from '../../extension/views/viewModel';
import type { VsCodeApi } from '../vscodeApi';
import { SourceView } from './sourceView';

function readBlock(id: string): string {
  const block = document.getElementById(id);
  if (!block) throw new Error(`the report has no #${id} data block: the file is incomplete`);
  return block.textContent ?? '';
}

/** The sources block, checked like the profile: a file entry that is not well-formed is dropped. */
function readSources(): ReportSources {
  const parsed = JSON.parse(readBlock(REPORT_SOURCES_ID)) as Partial<ReportSources>;
  const files: ReportSource[] = [];
  for (const entry of Array.isArray(parsed.files) ? (parsed.files as unknown[]) : []) {
    const { file, text, missing } = (entry ?? {}) as Record<string, unknown>;
    if (typeof file !== 'string') continue;
    if (typeof text === 'string') files.push({ file, text });
    else files.push({ file, missing: isMissingReason(missing) ? missing : 'unreadable' });
  }
  return { writtenAt: Number(parsed.writtenAt) || 0, files };
}

function isMissingReason(value: unknown): value is MissingReason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(MISSING_TEXT, value);
}

const STATE_KEY = `hotpath-report:${location.pathname}`;

class ReportHost implements VsCodeApi {
  private state: PanelState | undefined;
  private profile: RawProfile | undefined;
  private failure: string | undefined;
  private base: Pick<SetProfileMessage, 'header' | 'timeline'> | undefined;
  private readonly ids = { profileId: 'report', title: 'Hotpath' };
  private readonly source: SourceView;

  constructor() {
    let sources: ReportSources = { writtenAt: 0, files: [] };
    try {
      this.profile = loadProfile(readBlock(REPORT_PROFILE_ID));
      sources = readSources();
      this.ids.title = `Hotpath: ${scriptLabel(this.profile.meta.argv)}`;
    } catch (error) {
      this.failure = `This report cannot be shown: ${(error as Error).message}`;
    }
    this.source = new SourceView(sources, (file, line) =>
      this.send({ type: 'highlight', location: { file, line } }),
    );
    applyTheme();
  }

  /** The source pane, placed by the page beside the panel. */
  get sourceElement(): HTMLElement {
    return this.source.element;
  }

  /**
   * The page's state lives in the tab's sessionStorage, per report file, so a reload keeps the
   * view, filter and selection as VS Code keeps a panel's; where storage is refused (some
   * browsers' file:// settings) it lives as long as the page.
   */
  getState(): PanelState | undefined {
    try {
      const saved = window.sessionStorage.getItem(STATE_KEY);
      if (saved) return JSON.parse(saved) as PanelState;
    } catch {
      // Storage refused or the saved text is not ours: the page starts afresh.
    }
    return this.state;
  }

  setState(state: PanelState): void {
    this.state = state;
    try {
      window.sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
    } catch {
      // Kept in memory only.
    }
  }

  postMessage(message: WebviewToHost): void {
    if (!isWebviewToHost(message)) return;
    switch (message.type) {
      case 'ready':
        // A first look opens in the mode the run was taken in; a saved view keeps its own.
        this.answerFilter(
          sanitizeFilter(
            message.filter ??
              (this.profile
                ? { ...DEFAULT_FILTER, mode: startingMode(this.profile, 'wall') }
                : DEFAULT_FILTER),
          ),
        );
        break;
      case 'filter': {
        const { type: _type, ...filter } = message;
        this.answerFilter(sanitizeFilter(filter));
        break;
      }
      case 'reveal':
        // Enter (not a click) moves the keyboard to the code, as it moves to the editor in VS Code.
        this.source.show(message.file, message.line, message.preserveFocus === false);
        break;
      case 'select':
        this.source.show(message.file, message.line);
        break;
      case 'error':
        console.error(`hotpath report: ${message.message}${message.stack ? `\n${message.stack}` : ''}`);
        break;
      default: {
        const unknown: never = message;
        console.warn('hotpath report: unknown message from the page', unknown);
      }
    }
  }

  private answerFilter(filter: FilterState): void {
    const profile = this.profile;
    if (!profile) {
      this.send({ type: 'notice', text: this.failure ?? 'This report holds no profile.' });
      return;
    }
    // Built after the page's handler returns, as a message from a real host would arrive.
    setTimeout(() => {
      const message: SetProfileMessage = this.base
        ? { ...buildViewPart(profile, filter, this.ids), ...this.base }
        : buildProfileMessage(profile, filter, this.ids);
      this.base = { header: message.header, timeline: message.timeline };
      const view = createView(profile, viewOptionsFor(filter));
      const table = buildLineTable(view);
      this.source.setStats({ totalUs: view.totalUs, linesOf: (file) => table.files.get(file) ?? new Map() });
      this.deliver(message);
    });
  }

  private send(message: HostToWebview): void {
    setTimeout(() => this.deliver(message));
  }

  private deliver(message: HostToWebview): void {
    window.dispatchEvent(new MessageEvent('message', { data: message }));
  }
}

/**
 * The theme (themes.css) the browser asks for, and the editor's heat colours for it: high
 * contrast and dark take the dark colours.
 */
function applyTheme(): void {
  const theme = window.matchMedia('(prefers-contrast: more)').matches
    ? 'hc'
    : window.matchMedia('(prefers-color-scheme: dark)').matches
      ? 'dark'
      : 'light';
  const root = document.documentElement;
  root.dataset.theme = theme;
  HEAT_COLOURS.forEach((colour, i) =>
    root.style.setProperty(`--heat-${i + 1}`, theme === 'light' ? colour.light : colour.dark),
  );
}

/**
 * Installs the host as the page's `acquireVsCodeApi` (which the panel calls once) and puts the
 * source pane beside the panel's root. main.ts imports this module before the panel's.
 */
function installReportHost(): void {
  const host = new ReportHost();
  (globalThis as { acquireVsCodeApi?: () => VsCodeApi }).acquireVsCodeApi = () => host;
  document.body.appendChild(host.sourceElement);
}

installReportHost();
