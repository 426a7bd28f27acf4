/**
 * Programs of several processes that measure themselves (test/native/scripts/family.py and the
 * real applications that call its `child_main`): each call writes the seconds it spent busy in
 * `child_busy` to TRUTH_DIR, and the share of its process's samples there must match.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesOf, type RawProfile } from '../../../extension/model/rawProfile';
import { ProfileSession, type SessionResult } from '../../../extension/session/profileSession';
import { SCRIPTS_DIR, samplesIn } from '../groundTruth-helpers';

export const FAMILY_SCRIPT = join(SCRIPTS_DIR, 'family.py');
/**
 * A child's share rests on ~450 samples (0.45 s at 1 kHz): one standard deviation of a 2/3 share
 * is 2.2 points, so ±8 is 3.6 of them (a run of 0.45 s keeps the added CI time to seconds).
 */
const SHARE_TOLERANCE = 0.08;

export interface ChildTruth {
  pid: number;
  busy: number;
  total: number;
}

export interface FamilyRun {
  result: SessionResult;
  profile: RawProfile;
  truths: ChildTruth[];
}

export interface FamilyOptions {
  /** Called once the program has started (the session is running). */
  alongside?: (session: ProfileSession) => void;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/** Runs `argv` with its children followed, then reads the truths its processes wrote. */
export async function runFamily(
  argv: string[],
  truthDir: string,
  options: FamilyOptions = {},
): Promise<FamilyRun> {
  const session = ProfileSession.spawn({
    argv,
    cwd: SCRIPTS_DIR,
    env: options.env ? { ...process.env, ...options.env } : undefined,
    stdio: ['ignore', 'ignore', 'inherit'],
    intervalUs: 1000,
    followChildren: true,
  });
  options.alongside?.(session);
  const result = await session.result;
  const truths = readdirSync(truthDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(truthDir, name), 'utf8')) as ChildTruth);
  return { result, profile: result.profile, truths };
}

export async function withTruthDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-family-'));
  try {
    return await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The samples of the Python images that process `pid` ran. */
export function samplesOfPid(profile: RawProfile, pid: number): number[] {
  const processes = processesOf(profile);
  const threads = new Set(
    profile.threads.map((t, i) => (processes[t.process ?? 0]?.pid === pid ? i : -1)).filter((i) => i >= 0),
  );
  return [...profile.sampleThread.keys()].filter((i) => threads.has(profile.sampleThread[i]));
}

/**
 * Each process that measured itself was sampled, its busy function found in its own samples,
 * with its share (among the samples under child_main) within the tolerance when the machine is
 * quiet enough for shares to mean anything.
 */
export function assertChildren(run: FamilyRun, expected: number, label: string, shares = true): void {
  const { profile, truths } = run;
  assert.equal(run.result.samplerError, null, `${label}: ${run.result.samplerError?.message}`);
  assert.equal(truths.length, expected, `${label}: processes that recorded their truth`);
  const quiet = shares && loadavg()[0] <= cpus().length;
  for (const truth of truths) {
    const own = samplesOfPid(profile, truth.pid);
    const inMain = samplesIn(profile, 'child_main', own);
    const inBusy = samplesIn(profile, 'child_busy', own);
    const where = `${label}, pid ${truth.pid}`;
    assert.ok(inMain.length > 0, `${where}: sampled (${own.length} samples of its own)`);
    const sampled = inBusy.length / inMain.length;
    const expectedShare = truth.busy / truth.total;
    // With every core taken (load 18 on 2 cores was seen while building), the sampler of a
    // multi-threaded family runs at nice 19 and can lose a whole 0.3 s busy phase before it takes
    // its core back: shares, and whether the busy phase was seen, only mean something when quiet.
    if (quiet) {
      assert.ok(inBusy.length > 0, `${where}: child_busy found in its samples`);
      assert.ok(
        Math.abs(sampled - expectedShare) <= SHARE_TOLERANCE,
        `${where}: child_busy share ${sampled.toFixed(3)}, measured ${expectedShare.toFixed(3)}`,
      );
    }
  }
}
