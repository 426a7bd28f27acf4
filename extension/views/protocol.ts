/**
 * The one message protocol between the panel host (extension/panel/) and the
 * page (webview/). Both sides import these types; nothing here may import
 * `vscode` or anything Node-only, because the webview bundle includes it.
 *
 * Messages are discriminated by `type` and split by direction. Payloads are
 * columnar (parallel number arrays plus a string table) so that a
 * 100,000-node tree crosses postMessage as a handful of arrays.
 */
import type { SampleFilter, TimeMode } from '../model/types';
import type { SamplerStats } from '../model/rawProfile';

/** Bumped when a payload changes shape; the page refuses other versions. */
export const PROTOCOL_VERSION = 1;

/** What the user chose to look at; mirrored into the model's ViewOptions. */
/** What the panel's user chose: which samples (SampleFilter) and how they are shown. */
export interface FilterState extends SampleFilter {
  /** Show library and interpreter start-up frames instead of collapsing them. */
  showAll: boolean;
  /** One root per thread in the call tree and flame graph instead of all threads merged. */
  threadRoots?: boolean;
  /** The page shows the flame chart: send `SetProfileMessage.chart` with the view. */
  chart?: boolean;
  /** Merge the garbage collector's `<GC>` frames into the line that set each collection off. */
  hideGc?: boolean;
}

export const DEFAULT_FILTER: FilterState = { mode: 'wall', showAll: false };

/** Bit flags of a call-tree node or function row. */
export const NodeFlag = {
  library: 1,
  /** A thread's root (FilterState.threadRoots): the name is the thread's label, no source. */
  thread: 2,
} as const;

/**
 * Call tree in depth-first order: node 0 is the root (no frame), every node's
 * parent comes before it, and siblings appear by total time, descending.
 * Strings (`name`, `file`) are indices into ViewPayload.strings.
 */
export interface TreeColumns {
  parent: number[];
  name: number[];
  file: number[];
  /** Line in the function where it called the child / was sampled most. */
  line: number[];
  firstLine: number[];
  selfUs: number[];
  totalUs: number[];
  flags: number[];
  /** For a node standing for collapsed library/start-up frames: how many. */
  hidden: number[];
  /**
   * While comparing with a baseline (SetProfileMessage.comparison): the baseline's total time at
   * the node's call path, in this run's terms (0: the path is new), and the change's level, −3
   * (much faster) … 3 (much slower), 0 within sampling noise.
   */
  baseUs?: number[];
  change?: number[];
}

/** Per-function totals (the "top functions" table), in no particular order. */
export interface FunctionColumns {
  name: number[];
  file: number[];
  firstLine: number[];
  selfUs: number[];
  totalUs: number[];
  samples: number[];
  flags: number[];
}

/** The part of a profile that changes with the filter. */
export interface ViewPayload {
  strings: string[];
  /** Total µs of the samples kept: the denominator of every share. */
  totalUs: number;
  tree: TreeColumns;
  functions: FunctionColumns;
}

/**
 * One lane per thread, downsampled into equal-width bins: how many samples in
 * each bin found the thread running on a CPU and how many found it waiting.
 */
export interface TimelinePayload {
  durationUs: number;
  binUs: number;
  lanes: TimelineLanePayload[];
}

export interface TimelineLanePayload {
  /** Index into the profile's thread list. */
  thread: number;
  label: string;
  running: number[];
  waiting: number[];
  /** Of those, how many found the thread holding the GIL (absent: the profile has no record). */
  gil?: number[];
}

export interface ThreadSummary {
  index: number;
  label: string;
  isMain: boolean;
  samples: number;
  /** Index of its process in a profile of several (lanes are grouped by it); absent: one process. */
  process?: number;
}

/** A process of a profile of several: the process selector's entries and the timeline's groups. */
export interface ProcessSummary {
  /** Index into the profile's process list (FilterState.process). */
  index: number;
  /** Index of its parent's entry; -1 for the program itself. */
  parent: number;
  pid: number;
  /** `pid 1234 (worker.py)`: text from the profile, shown with textContent only. */
  label: string;
  /** µs on the run's clock; end null while it still ran when sampling ended. */
  startUs: number;
  endUs: number | null;
  /** How it ended (`exit 0`, `killed by SIGKILL`, `exec'd another program`), or '' when unknown. */
  ending: string;
  /** Why it was not sampled (not CPython, an unsupported version), if it was not. */
  note?: string;
  /** Samples of its threads: 0 for a process with no Python thread sampled. */
  samples: number;
}

/** Run information shown in the header. */
export interface ProfileHeader {
  title: string;
  argv: string[];
  cwd: string;
  pythonPath: string;
  pythonVersion: string;
  /** ms since the Unix epoch. */
  startedAt: number;
  durationUs: number;
  intervalUs: number;
  exitCode: number | null;
  exitSignal: string | null;
  /** Rebuilt from the spill file of a run whose extension host died: how it ended is unknown. */
  recovered?: boolean;
  /** The samples so far of a program still running (the live view). */
  live?: boolean;
  /** A Reset during the run: the samples count from this many µs after sampling began. */
  countedFromUs?: number;
  stats: SamplerStats;
  threads: ThreadSummary[];
  /** The processes, in the order they were found (a parent before its children); absent: one. */
  processes?: ProcessSummary[];
  /** The time mode the run was asked for (absent: wall). */
  mode?: TimeMode;
  /** The profile records the GIL holder: the GIL mode and the timeline's GIL band apply. */
  hasGil: boolean;
  /** The profile has `<GC>` frames: the switch that hides them applies. */
  hasGc: boolean;
}

// ── host → webview ──────────────────────────────────────────────────────────

export interface SetProfileMessage {
  type: 'setProfile';
  version: typeof PROTOCOL_VERSION;
  /** Identifies the profile for state restore (saved file path or run id). */
  profileId: string;
  header: ProfileHeader;
  timeline: TimelinePayload;
  view: ViewPayload;
  /** The filter `view` was computed with. */
  filter: FilterState;
  /** The flame chart of the same samples, when the filter asked for it. */
  chart?: ChartPayload;
  /** Set when the tree carries each node's change from a baseline (TreeColumns.baseUs, change). */
  comparison?: { label: string; reason: string };
}

/** Flame chart: each thread's kept samples in time order, as runs of one call-tree node. */
export interface ChartPayload {
  lanes: ChartLanePayload[];
}

export interface ChartLanePayload {
  /** Index into the profile's thread list. */
  thread: number;
  /**
   * Runs [start, end) in µs on the run's clock, in time order, each the samples in a row whose
   * innermost visible frame is call-tree node `node` (an index into ViewPayload.tree).
   */
  start: number[];
  end: number[];
  node: number[];
}

/** The editor cursor is on this line: highlight the nodes that ran it. */
export interface HighlightMessage {
  type: 'highlight';
  location?: { file: string; line: number };
}

/** The host changed the filter (e.g. a command cleared the time range). */
export interface SetOptionsMessage {
  type: 'setOptions';
  filter: FilterState;
}

/** Something the page should tell the user instead of a view (e.g. the view could not be built). */
export interface NoticeMessage {
  type: 'notice';
  text: string;
}

export type HostToWebview = SetProfileMessage | HighlightMessage | SetOptionsMessage | NoticeMessage;

// ── webview → host ──────────────────────────────────────────────────────────

/** The page has loaded; `filter` is the one restored from its saved state. */
export interface ReadyMessage {
  type: 'ready';
  filter?: FilterState;
}

export interface RevealMessage {
  type: 'reveal';
  file: string;
  line: number;
  /** True for a click (the keyboard stays in the panel), false for Enter (it moves to the editor). */
  preserveFocus?: boolean;
}

export interface FilterMessage extends FilterState {
  type: 'filter';
}

/** A node or function row was selected (focused), without opening it. */
export interface SelectMessage {
  type: 'select';
  file: string;
  line: number;
  name: string;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
  stack?: string;
}

export type WebviewToHost = ReadyMessage | RevealMessage | FilterMessage | SelectMessage | ErrorMessage;

/** The page's persisted state (vscode.setState), also handed to the serializer on reload. */
export interface PanelState {
  profileId: string;
  title: string;
  filter: FilterState;
  view: ViewName;
  search: string;
  /** Call paths (see the page's tree path keys) of the selected and the zoomed node. */
  selected?: string;
  zoom?: string;
}

export type ViewName = 'tree' | 'flame' | 'chart' | 'functions';

/** Narrowing helpers for messages that arrive as `unknown`. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}
