/**
 * Collapsed stacks, the input of flamegraph.pl, inferno and speedscope:
 * one line per distinct stack, `thread;frame;frame;… count`, root first (in a
 * profile of several processes the process comes first:
 * `pid 1234 (worker.py);thread;frame;… count`), each
 * frame `qualname (path:line)`, count in samples. The format has no escaping,
 * so characters that would break a line apart are replaced: `;` (the frame
 * separator) becomes `:`, control characters (newlines among them) become
 * `\xNN`. Counts are the last space-separated field, so spaces are safe.
 * Lines come grouped by thread, callers before callees. Every sample the view
 * keeps is on some line (see exportPaths.ts): the counts add up to the view's samples.
 */
import { processesOf, processLabel } from '../model/rawProfile';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView, DEFAULT_VIEW, visibleStackTree } from '../model/processors';
import { exportPathOf, PATH_ID_OFFSET, placeholderName } from './exportPaths';
import { printable } from './printable';

export function exportCollapsed(profile: RawProfile, options: ViewOptions = DEFAULT_VIEW): string {
  const view = createView(profile, options);
  const { strings, frameFile, frameName, frameLine, stackFrame, sampleThread } = profile;
  const paths = visibleStackTree(view, (frame) => frame);
  // Path ids shifted past the placeholders' negative ids.
  const idCount = paths.parent.length + PATH_ID_OFFSET;

  // Samples per (thread, path): far fewer keys than samples.
  const counts = new Map<number, number>();
  for (let i = 0; i < sampleThread.length; i++) {
    if (!view.keep[i]) continue;
    const key = sampleThread[i] * idCount + exportPathOf(view, paths, i) + PATH_ID_OFFSET;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  // Text of a path = its parent's text + one frame: each string is built from
  // the previous one, so the cost is per path, not per frame of every path.
  const frameText = new Map<number, string>();
  const textOfFrame = (frame: number): string => {
    let text = frameText.get(frame);
    if (text === undefined) {
      text = clean(`${strings[frameName[frame]]} (${strings[frameFile[frame]]}:${frameLine[frame]})`);
      frameText.set(frame, text);
    }
    return text;
  };
  const pathText: (string | undefined)[] = new Array(paths.parent.length);
  const textOf = (path: number): string => {
    if (path < 0) return placeholderName(path);
    const pending: number[] = [];
    let node = path;
    while (node >= 0 && pathText[node] === undefined) {
      pending.push(node);
      node = paths.parent[node];
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i];
      const own = textOfFrame(stackFrame[paths.stack[p]]);
      const parent = paths.parent[p];
      pathText[p] = parent < 0 ? own : `${pathText[parent]};${own}`;
    }
    return pathText[path] as string;
  };

  const threadLabels = labelThreads(profile);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const lines: string[] = new Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const thread = Math.floor(key / idCount);
    const label = threadLabels[thread] ?? `thread ${thread}`;
    lines[k] = `${label};${textOf((key % idCount) - PATH_ID_OFFSET)} ${counts.get(key)}\n`;
  }
  return lines.join('');
}

function clean(text: string): string {
  return printable(text.replace(/;/g, ':'));
}

/**
 * Thread names, made unique with the TID where two threads of a process share a name, after
 * their process's label when the profile has several processes.
 */
function labelThreads(profile: RawProfile): string[] {
  const processes = processesOf(profile);
  const several = new Set(profile.threads.map((t) => t.process ?? 0)).size > 1;
  const key = (thread: { name: string; process?: number }) => `${thread.process ?? 0}\0${thread.name}`;
  const seen = new Map<string, number>();
  for (const thread of profile.threads) seen.set(key(thread), (seen.get(key(thread)) ?? 0) + 1);
  return profile.threads.map((thread) => {
    const name = clean(
      (seen.get(key(thread)) ?? 0) > 1 ? `${thread.name} (tid ${thread.tid})` : thread.name || 'thread',
    );
    const process = processes[thread.process ?? 0];
    return several && process ? `${clean(processLabel(process))};${name}` : name;
  });
}
