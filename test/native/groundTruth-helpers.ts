/**
 * Running a ground-truth target under the sampler and reading the result.
 * The targets (test/native/scripts/) measure themselves and write a JSON file;
 * the functions here answer the questions the tests ask of a RawProfile
 * (which samples have a function on their stack, which line was innermost),
 * computed straight from the columns so that the sampler is checked against
 * the script, not against the model code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawProfile } from '../../extension/model/rawProfile';
import { ProfileSession, type SessionResult } from '../../extension/session/profileSession';

export const SCRIPTS_DIR = join(__dirname, 'scripts');

export interface Truth {
  /** Seconds measured by the script around named regions. */
  regions: Record<string, number>;
  extra: Record<string, unknown>;
}

export interface TargetRun {
  result: SessionResult;
  profile: RawProfile;
  truth: Truth;
}

/**
 * Runs `python scripts/<script> <truth.json> …args` under a ProfileSession at
 * `rateHz` and returns the profile with what the script recorded. The script's
 * stdin gets a line once the sampler is ready (see truth.wait_until_sampled).
 */
export async function runTarget(
  python: string,
  script: string,
  options: { rateHz?: number; args?: string[] } = {},
): Promise<TargetRun> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-truth-'));
  try {
    const truthPath = join(dir, 'truth.json');
    const session = ProfileSession.spawn({
      argv: [python, join(SCRIPTS_DIR, script), truthPath, ...(options.args ?? [])],
      cwd: SCRIPTS_DIR,
      stdio: ['pipe', 'ignore', 'inherit'],
      intervalUs: Math.round(1e6 / (options.rateHz ?? 1000)),
      spillPath: join(dir, 'profile.spill'),
    });
    // The target waits on stdin (truth.wait_until_sampled) until sampling runs; a sampler
    // failure releases it too, so that the test sees the error rather than a hang.
    const stdin = session.child!.stdin!;
    stdin.on('error', () => {}); // EPIPE from a target that exited without reading
    const release = () => stdin.end('go\n');
    session.once('ready', release);
    session.once('samplerError', release);
    const result = await session.result;
    let truth: Truth = { regions: {}, extra: {} };
    try {
      truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth;
    } catch {
      // Scripts that are killed or exit at once record nothing; their tests do not ask.
    }
    return { result, profile: result.profile, truth };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Frame indices of a stack, outermost first. */
export function stackFrames(profile: RawProfile, stack: number): number[] {
  const frames: number[] = [];
  for (let s = stack; s >= 0; s = profile.stackParent[s]) frames.push(profile.stackFrame[s]);
  return frames.reverse();
}

/** The columns the stack questions below read: a RawProfile, or the addon's own result. */
export type StackColumns = Pick<
  RawProfile,
  'strings' | 'frameName' | 'frameLine' | 'stackParent' | 'stackFrame' | 'sampleStack'
>;

export function frameName(profile: StackColumns, frame: number): string {
  return profile.strings[profile.frameName[frame]];
}

export function frameFile(profile: RawProfile, frame: number): string {
  return profile.strings[profile.frameFile[frame]];
}

/**
 * Sample indices whose stack contains a frame of a function with this name
 * (each sample counted once, however deep the recursion).
 */
export function samplesIn(profile: StackColumns, name: string, samples?: number[]): number[] {
  // Stack ids are assigned in creation order, so a parent always precedes its children.
  const has = new Uint8Array(profile.stackParent.length);
  for (let s = 0; s < has.length; s++) {
    const parent = profile.stackParent[s];
    has[s] = frameName(profile, profile.stackFrame[s]) === name || (parent >= 0 && has[parent]) ? 1 : 0;
  }
  const candidates = samples ?? [...profile.sampleStack.keys()];
  return candidates.filter((i) => profile.sampleStack[i] >= 0 && has[profile.sampleStack[i]] === 1);
}

/** Sample indices of one thread (by OS thread id). */
export function samplesOfThread(profile: RawProfile, tid: number): number[] {
  const index = profile.threads.findIndex((t) => t.tid === tid);
  if (index < 0) return [];
  return [...profile.sampleThread.keys()].filter((i) => profile.sampleThread[i] === index);
}

/** Innermost line → sample count, over samples whose innermost frame is `name`. */
export function selfLines(profile: StackColumns, name: string): Map<number, number> {
  const lines = new Map<number, number>();
  for (const stack of profile.sampleStack) {
    if (stack < 0) continue;
    const frame = profile.stackFrame[stack];
    if (frameName(profile, frame) !== name) continue;
    const line = profile.frameLine[frame];
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  return lines;
}

/** The line with the most samples, or undefined. */
export function topLine(lines: Map<number, number>): number | undefined {
  let best: number | undefined;
  let count = -1;
  for (const [line, n] of lines) {
    if (n > count) [best, count] = [line, n];
  }
  return best;
}

/** 1-based line number of the first line of `script` containing `marker`. */
export function lineOf(script: string, marker: string): number {
  const lines = readFileSync(join(SCRIPTS_DIR, script), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`${marker} not found in ${script}`);
  return index + 1;
}

/** Names of every function that appears in the profile. */
export function functionNames(profile: RawProfile): Set<string> {
  return new Set([...profile.frameName].map((s) => profile.strings[s]));
}
