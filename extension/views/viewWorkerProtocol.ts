/**
 * Messages between the extension host and the view worker (viewWorker.ts),
 * which builds the panel's views off the extension host's thread.
 */
import type { EditorAnnotations } from './editorViews';
import type { LineNeighbours } from './lineNeighbours';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import type { CompareScale } from '../model/compareScale';
import type { LineEdit } from '../model/lineTracking';
import type { FilterState, SetProfileMessage } from './protocol';
import type { LiveDelta } from './liveDelta';

export type ToViewWorker =
  | {
      kind: 'build';
      requestId: number;
      /** Profiles stay in the worker under this key; `raw` comes only when it has not got it. */
      key: string;
      raw?: RawProfile;
      /** Instead of `raw`: a live snapshot as what it adds to the worker's last one (liveDelta.ts). */
      live?: LiveDelta;
      filter: FilterState;
      ids: { profileId: string; title: string };
      /** Whether the header and timeline (independent of the filter) are needed too. */
      whole: boolean;
      /** Colour the tree by its change from this profile (compareTree.ts). */
      baseline?: { key: string; raw?: RawProfile; label: string };
    }
  | {
      /** The editor's annotations of the profile under `options`. */
      kind: 'annotate';
      requestId: number;
      key: string;
      raw?: RawProfile;
      live?: LiveDelta;
      options: ViewOptions;
      thresholdPercent: number;
      /** Compare with this profile: each line's change (compareAnnotations.ts). */
      baseline?: BaselineRequest;
    }
  | {
      /** Callers and callees of the lines of one file (its path as recorded), for hovers. */
      kind: 'neighbours';
      requestId: number;
      key: string;
      raw?: RawProfile;
      live?: LiveDelta;
      options: ViewOptions;
      recordedPath: string;
    }
  | { kind: 'forget'; key: string };

export type FromViewWorker =
  | {
      kind: 'built';
      requestId: number;
      /** Without header and timeline unless the request asked for the whole message. */
      message: Omit<SetProfileMessage, 'header' | 'timeline'> &
        Partial<Pick<SetProfileMessage, 'header' | 'timeline'>>;
    }
  | { kind: 'annotated'; requestId: number; annotations: EditorAnnotations }
  | { kind: 'neighbours'; requestId: number; lines: Map<number, LineNeighbours> }
  | { kind: 'missing'; requestId: number }
  | { kind: 'failed'; requestId: number; error: string; stack?: string };

/** The baseline of a comparison, held by the worker like any profile. */
export interface BaselineRequest {
  key: string;
  /** Only when the worker has not got it. */
  raw?: RawProfile;
  scale: CompareScale | 'auto';
  /** Edits made since the baseline was taken, per absolute path: where its lines are now. */
  moves: [string, LineEdit[]][];
}
