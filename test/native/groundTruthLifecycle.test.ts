/**
 * How a profiled program's life can go, on every installed interpreter: it
 * exits at once, it is killed mid-run, it creates and frees code objects all
 * the time; and the sampler started and stopped 200 times on one process
 * without a crash or a leaked descriptor.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadNative } from '../../extension/native/loadNative';
import { HotpathError } from '../../extension/session/errors';
import { ProfileSession } from '../../extension/session/profileSession';
import { frameFile, frameName, runTarget, SCRIPTS_DIR } from './groundTruth-helpers';
import { installedPythons, pythonVersions } from './helpers/pythons';
import { startTarget, unusedPid } from './helpers/processes';

function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

for (const python of pythonVersions()) {
  describe(`program lifecycle on CPython ${python.label}`, { skip: python.missingReason ?? false }, () => {
    test('a script that exits at once: no error, an empty or tiny profile', async () => {
      const { result } = await runTarget(python.path, 'quick.py');
      assert.equal(result.exitCode, 0);
      assert.equal(result.samplerError, null);
      assert.ok(result.profile.sampleTime.length < 200, `${result.profile.sampleTime.length} samples`);
    });

    test('killed by SIGKILL mid-run: the samples up to the kill survive', async () => {
      const session = ProfileSession.spawn({
        argv: [python.path, join(SCRIPTS_DIR, 'killed.py')],
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // Kill once the program is in its busy loop (READY) and the sampler has reported 50 more
      // samples since: everything reported must survive the kill.
      let reported = 0;
      const child = session.child!;
      try {
        await new Promise<void>((resolve, reject) => {
          let atReady = -1;
          let out = '';
          child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
            out += chunk;
            if (atReady < 0 && out.includes('READY')) atReady = reported;
          });
          session.on('progress', (progress) => {
            reported = progress.samples;
            if (atReady >= 0 && reported >= atReady + 50) resolve();
          });
          session.on('samplerError', reject);
          child.once('exit', () => reject(new Error('killed.py exited by itself')));
        });
      } finally {
        child.kill('SIGKILL');
      }
      const result = await session.result;
      assert.equal(result.exitSignal, 'SIGKILL');
      assert.equal(result.exitCode, null);
      assert.equal(result.samplerError, null);
      assert.equal(result.profile.meta.exitSignal, 'SIGKILL');
      const spinning = [...result.profile.sampleStack.keys()].filter((i) => {
        const stack = result.profile.sampleStack[i];
        return stack >= 0 && frameName(result.profile, result.profile.stackFrame[stack]) === 'spin_forever';
      });
      assert.ok(
        result.profile.sampleTime.length >= reported,
        `${reported} reported, ${result.profile.sampleTime.length} kept`,
      );
      assert.ok(
        spinning.length >= 10, // start-up samples come first; the busy loop must be there too
        `${spinning.length} samples in spin_forever() before the kill`,
      );
    });

    test('code objects created and freed continuously: every sampled name is real', async () => {
      const { profile, truth, result } = await runTarget(python.path, 'churn.py');
      assert.equal(result.samplerError, null);
      const defined = new Set(truth.extra.defined as string[]);
      assert.ok(defined.size > 100, `only ${defined.size} functions defined`);
      let churnFrames = 0;
      for (let f = 0; f < profile.frameName.length; f++) {
        const file = frameFile(profile, f);
        if (!file.startsWith('<churn-')) continue;
        churnFrames++;
        const name = frameName(profile, f);
        assert.ok(defined.has(name) || name === '<module>', `sampled "${name}" in ${file}, never defined`);
        const suffix = name.split('_')[1];
        if (name !== '<module>') assert.equal(file, `<churn-${suffix}>`, `${name} reported in ${file}`);
      }
      assert.ok(churnFrames > 20, `only ${churnFrames} frames of fresh code sampled`);
    });
  });
}

describe('sampler start/stop cycles', () => {
  const python = installedPythons().at(-1);
  const CYCLES = 1000;
  test(
    '1,000 cycles on one process: no crash, no leaked descriptor or memory',
    { skip: !python && 'no CPython installed' },
    async () => {
      const native = loadNative();
      const target = startTarget(python!.path, [join(SCRIPTS_DIR, 'idle.py')]);
      try {
        await target.waitFor('READY');
        const cycle = async () => {
          const sampler = new native.Sampler(target.pid, { intervalUs: 200 });
          await sampler.ready();
          await sampler.finish();
        };
        for (let i = 0; i < 10; i++) await cycle(); // warm caches and lazily opened files first
        const fdBefore = openDescriptors();
        const rssBefore = process.memoryUsage().rss;
        for (let i = 0; i < CYCLES; i++) await cycle();
        global.gc?.();
        const fdAfter = openDescriptors();
        const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
        assert.equal(fdAfter, fdBefore, `descriptors: ${fdBefore} before, ${fdAfter} after ${CYCLES} cycles`);
        assert.ok(rssGrowthMb < 32, `RSS grew by ${rssGrowthMb.toFixed(1)} MB over ${CYCLES} cycles`);
      } finally {
        target.kill('SIGKILL');
        await target.exited;
      }
    },
  );
});

describe('ProfileSession stop and failures', () => {
  const python = installedPythons().at(-1);
  const skip = python ? false : 'no CPython installed';

  /** Spawns a script with stdout piped and resolves once it printed READY. */
  async function started(script: string, ...args: string[]): Promise<ProfileSession> {
    const session = ProfileSession.spawn({
      argv: [python!.path, join(SCRIPTS_DIR, script), ...args],
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      session.child!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('READY')) resolve();
      });
      session.child!.once('exit', () => reject(new Error(`${script} exited before READY`)));
    });
    return session;
  }

  test('stop(): SIGINT ends a normal program with KeyboardInterrupt', { skip }, async () => {
    const session = await started('cli_target.py', 'until-signal');
    session.stop();
    const result = await session.result;
    assert.equal(result.exitSignal, 'SIGINT');
    assert.equal(result.samplerError, null);
    assert.ok(result.profile.sampleTime.length > 0);
  });

  test('stop(): a program ignoring SIGINT and SIGTERM still ends (SIGKILL)', { skip }, async () => {
    const session = await started('stubborn.py');
    session.stop();
    const result = await session.result;
    assert.equal(result.exitSignal, 'SIGKILL');
    assert.ok(result.profile.sampleTime.length > 0);
  });

  test(
    'attach without a duration ends when the process exits; stop() never signals it',
    { skip },
    async () => {
      const target = startTarget(python!.path, [join(SCRIPTS_DIR, 'idle.py')]);
      try {
        await target.waitFor('READY');
        const first = ProfileSession.attach({ pid: target.pid });
        await new Promise((resolve) => first.once('ready', resolve));
        first.stop();
        const stopped = await first.result;
        assert.equal(stopped.samplerError, null);
        assert.equal(target.child.exitCode, null, 'stop() of an attached session leaves the process running');

        const second = ProfileSession.attach({ pid: target.pid });
        await new Promise<void>((resolve) =>
          second.on('progress', (progress) => {
            if (progress.samples > 0) resolve();
          }),
        );
        target.kill('SIGKILL');
        const ended = await second.result;
        assert.equal(ended.samplerError, null);
        assert.ok(ended.profile.sampleTime.length > 0, 'the samples before the exit are kept');
      } finally {
        target.kill('SIGKILL');
        await target.exited;
      }
    },
  );

  test('a command that cannot be started rejects with HOTPATH_SPAWN_FAILED', async () => {
    const session = ProfileSession.spawn({ argv: ['/nonexistent/python3', 'x.py'], stdio: 'ignore' });
    await assert.rejects(session.result, (error: unknown) => {
      assert.ok(error instanceof HotpathError);
      assert.equal(error.code, 'HOTPATH_SPAWN_FAILED');
      assert.match(error.message, /not found/);
      return true;
    });
  });

  test('attaching to a process that does not exist fails with HOTPATH_NO_PROCESS', async () => {
    const session = ProfileSession.attach({ pid: unusedPid(), durationS: 5 });
    const result = await session.result;
    assert.equal(result.samplerError?.code, 'HOTPATH_NO_PROCESS');
    assert.equal(result.profile.sampleTime.length, 0);
  });
});
