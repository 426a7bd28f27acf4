/**
 * Worker thread entry (bundled as dist/viewWorker.js): builds panel views and
 * the editor's annotations and hover neighbours, so that a big profile (0.3–1.3 s
 * for a million samples) never blocks the extension host. Keeps each profile it was sent until told to forget it, so
 * a filter change costs one small message each way plus the build.
 */
import { parentPort } from 'node:worker_threads';
import { buildCompareAnnotations } from './compareAnnotations';
import { buildEditorAnnotations } from './editorViews';
import type { MoveLine } from '../model/compare';
import { mapLineThroughEdits, type LineEdit } from '../model/lineTracking';
import { resolveProfilePath } from '../model/sourceFiles';
import { buildLineNeighbours } from './lineNeighbours';
import { createView, type ProfileView } from '../model/processors';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { buildProfileMessage, buildViewPart } from './viewModel';
import { applyLiveDelta } from './liveDelta';
import type { FromViewWorker, ToViewWorker } from './viewWorkerProtocol';

const profiles = new Map<string, RawProfile>();
/** The editor's last view per profile: hovers ask for one file at a time under the same options. */
const editorViews = new Map<string, { options: string; view: ProfileView }>();

function editorView(key: string, raw: RawProfile, options: ViewOptions): ProfileView {
  const wanted = JSON.stringify(options);
  const cached = editorViews.get(key);
  if (cached?.options === wanted && cached.view.profile === raw) return cached.view;
  const view = createView(raw, options);
  editorViews.set(key, { options: wanted, view });
  return view;
}

/** Where the baseline's lines are after the edits made since it was taken (absolute path → edits). */
function moveThroughEdits(baseline: RawProfile, moves: [string, LineEdit[]][]): MoveLine | undefined {
  if (moves.length === 0) return undefined;
  const edits = new Map(moves);
  return (file, line) => {
    const path = resolveProfilePath(file, baseline.meta.cwd);
    const fileEdits = path === undefined ? undefined : edits.get(path);
    return fileEdits ? mapLineThroughEdits(line, fileEdits) : line;
  };
}

/** The last live snapshot sent, whole or as a delta: the base of the next delta. */
let liveBase: RawProfile | undefined;

function reply(message: FromViewWorker): void {
  parentPort?.postMessage(message);
}

parentPort?.on('message', (message: ToViewWorker) => {
  if (message.kind === 'forget') {
    profiles.delete(message.key);
    editorViews.delete(message.key);
    return;
  }
  if (message.raw) {
    profiles.set(message.key, message.raw);
    liveBase = message.raw.meta.live ? message.raw : undefined;
  } else if (message.live) {
    // A live snapshot as what it adds to the last one (liveDelta.ts); without that one, ask again.
    const extended = liveBase && applyLiveDelta(liveBase, message.live);
    liveBase = extended;
    if (extended) profiles.set(message.key, extended);
  }
  const raw = profiles.get(message.key);
  // A comparing request needs its baseline too: kept like the profile, asked for again if lost.
  const baseline = message.kind === 'neighbours' ? undefined : message.baseline;
  if (baseline?.raw) profiles.set(baseline.key, baseline.raw);
  const baseRaw = baseline && profiles.get(baseline.key);
  if (!raw || (baseline && !baseRaw)) {
    reply({ kind: 'missing', requestId: message.requestId });
    return;
  }
  try {
    if (message.kind === 'annotate') {
      const view = editorView(message.key, raw, message.options);
      const request = message.baseline;
      const annotations =
        request && baseRaw
          ? buildCompareAnnotations(
              editorView(request.key, baseRaw, message.options),
              view,
              message.thresholdPercent,
              request.scale,
              moveThroughEdits(baseRaw, request.moves),
            )
          : buildEditorAnnotations(view, message.thresholdPercent);
      reply({ kind: 'annotated', requestId: message.requestId, annotations });
    } else if (message.kind === 'neighbours') {
      const view = editorView(message.key, raw, message.options);
      const lines = buildLineNeighbours(view, message.recordedPath);
      reply({ kind: 'neighbours', requestId: message.requestId, lines });
    } else {
      const held = message.baseline;
      const compared = held && baseRaw ? { raw: baseRaw, label: held.label } : undefined;
      const built = message.whole
        ? buildProfileMessage(raw, message.filter, message.ids, undefined, compared)
        : buildViewPart(raw, message.filter, message.ids, compared);
      reply({ kind: 'built', requestId: message.requestId, message: built });
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply({ kind: 'failed', requestId: message.requestId, error: e.message, stack: e.stack });
  }
});
