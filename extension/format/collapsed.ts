/**
 * Collapsed stacks, the input of flamegraph.pl, inferno and speedscope:
 * one line per distinct stack, `thread;frame;frame;… count`, root first, each
 * frame `qualname (path:line)`, count in samples. The format has no escaping,
 * so characters that would break a line apart are replaced: `;` (the frame
 * separator) becomes `:`, control characters (newlines among them) become
 * `\xNN`. Counts are the last space-separated field, so spaces are safe.
 */
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView, DEFAULT_VIEW, visibleAncestors } from '../model/processors';
import { printable } from './printable';

export function exportCollapsed(profile: RawProfile, options: ViewOptions = DEFAULT_VIEW): string {
  const view = createView(profile, options);
  const { strings, frameFile, frameName, frameLine, stackParent, stackFrame, sampleThread, sampleStack } =
    profile;
  const visible = visibleAncestors(view);

  // Count samples per (thread, innermost visible stack): far fewer keys than samples.
  const stackCount = stackParent.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < sampleStack.length; i++) {
    const stack = sampleStack[i];
    if (!view.keep[i] || stack < 0 || visible[stack] < 0) continue;
    const key = sampleThread[i] * stackCount + visible[stack];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  const threadLabels = labelThreads(profile);
  const pathCache = new Map<number, string>();
  const pathOf = (stack: number): string => {
    let text = pathCache.get(stack);
    if (text === undefined) {
      const frames: string[] = [];
      for (let node = stack; node >= 0; node = stackParent[node] < 0 ? -1 : visible[stackParent[node]]) {
        const f = stackFrame[node];
        frames.push(clean(`${strings[frameName[f]]} (${strings[frameFile[f]]}:${frameLine[f]})`));
      }
      text = frames.reverse().join(';');
      pathCache.set(stack, text);
    }
    return text;
  };

  const lines = new Map<string, number>();
  for (const [key, count] of counts) {
    const thread = Math.floor(key / stackCount);
    const line = `${threadLabels[thread] ?? `thread ${thread}`};${pathOf(key % stackCount)}`;
    lines.set(line, (lines.get(line) ?? 0) + count);
  }
  const sorted = [...lines.keys()].sort();
  return sorted.map((line) => `${line} ${lines.get(line)}\n`).join('');
}

function clean(text: string): string {
  return printable(text.replace(/;/g, ':'));
}

/** Thread names, made unique with the TID where two threads share a name. */
function labelThreads(profile: RawProfile): string[] {
  const seen = new Map<string, number>();
  for (const thread of profile.threads) seen.set(thread.name, (seen.get(thread.name) ?? 0) + 1);
  return profile.threads.map((thread) =>
    clean((seen.get(thread.name) ?? 0) > 1 ? `${thread.name} (tid ${thread.tid})` : thread.name || 'thread'),
  );
}
