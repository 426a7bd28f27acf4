/**
 * Timeline: one lane per thread, made of run-length segments during which the
 * thread kept the same state (on-CPU or waiting) in the same innermost
 * function. Honors the view's sample filters and hidden frames; the panel
 * builds it from an unfiltered view so that the brush can select any range.
 */
import type { TimelineLane } from './types';
import { visibleAncestors } from './processors';
import type { ProfileView } from './processors';

/** Two samples are back to back when the second starts where the first ended (µs). */
const CONTIGUOUS_US = 1e-3;

export function buildTimeline(view: ProfileView): TimelineLane[] {
  const { profile, index, keep } = view;
  const { sampleTime, sampleThread, sampleStack, sampleOnCpu, stackFrame } = profile;
  const visible = visibleAncestors(view);
  const lanes = new Map<number, TimelineLane>();

  for (let i = 0; i < sampleTime.length; i++) {
    if (!keep[i]) continue;
    const thread = sampleThread[i];
    let lane = lanes.get(thread);
    if (!lane) {
      lane = { thread, name: profile.threads[thread]?.name ?? `thread ${thread}`, segments: [] };
      lanes.set(thread, lane);
    }
    const stack = sampleStack[i];
    const shown = stack < 0 ? -1 : visible[stack];
    const functionKey = shown < 0 ? '' : index.functions[index.frameFunction[stackFrame[shown]]].key;
    const onCpu = sampleOnCpu[i] === 1;
    const start = sampleTime[i];
    const end = start + index.sampleWeight[i];
    const last = lane.segments[lane.segments.length - 1];
    if (
      last &&
      last.onCpu === onCpu &&
      last.functionKey === functionKey &&
      Math.abs(start - last.end) <= CONTIGUOUS_US
    ) {
      last.end = end;
    } else {
      lane.segments.push({ start, end, onCpu, functionKey });
    }
  }
  return [...lanes.values()].sort((a, b) => a.thread - b.thread);
}
