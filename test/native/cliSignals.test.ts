/**
 * The shipped `hotpath run` and the signals that stop a program: SIGINT,
 * SIGTERM and SIGHUP sent to the hotpath process alone (`kill -INT`,
 * `timeout -s INT`, a supervisor, an IDE's stop button) reach the program,
 * and the profile is still written; a signal to the whole process group and
 * a Ctrl-C typed in a real terminal reach the program exactly once.
 * Everything waits on the program's own output, never on time.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { BIN, cliWorkspace } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const TARGET = join(SCRIPTS_DIR, 'cli_target.py');
const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];
const SCRIPT = '/usr/bin/script';

/** A signal that is not passed on leaves the program running: the test fails instead of hanging. */
const NOT_STUCK = { timeout: 60_000 };

const workspace = cliWorkspace('cli-signals');
const hotpath = workspace.run;

/** Runs the program under hotpath and sends `signal` to `target` once the program says READY. */
function signalledRun(args: string[], signal: NodeJS.Signals, target: 'hotpath' | 'group') {
  let sent = false;
  return hotpath(args, {
    onStdout: (text, pid) => {
      if (sent || !text.includes('READY')) return;
      sent = true;
      process.kill(target === 'group' ? -pid : pid, signal);
    },
  });
}

describe(
  'hotpath run passes signals on to the program',
  { skip: python ? false : 'no supported CPython installed' },
  () => {
    test(
      'kill -INT <hotpath>: the program is interrupted, the report is printed, exit 130',
      NOT_STUCK,
      async () => {
        const run = await signalledRun(
          ['run', '--python', python!.path, TARGET, 'until-signal'],
          'SIGINT',
          'hotpath',
        );
        assert.match(run.stdout, /interrupted/, `status ${run.status}, stderr: ${run.stderr}`);
        assert.equal(run.status, 130, run.stderr);
        assert.match(run.stderr, /work\s+.*cli_target\.py:\d+/, 'the text report names the busy function');
      },
    );

    for (const [signal, status] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      test(
        `kill -${signal.slice(3)} <hotpath>: the program gets ${signal}, the profile is written`,
        NOT_STUCK,
        async () => {
          const out = join(workspace.dir, `${signal}.hotpath.json`);
          const run = await signalledRun(
            ['run', '--python', python!.path, '--format', 'json', '-o', out, TARGET, 'until-signal'],
            signal,
            'hotpath',
          );
          assert.equal(run.status, status, run.stderr);
          const profile = loadProfile(readFileSync(out, 'utf8'));
          assert.equal(profile.meta.exitSignal, signal);
          assert.ok(profile.sampleTime.length > 0);
        },
      );
    }

    for (const target of ['hotpath', 'group'] as const) {
      test(
        `SIGINT to ${target === 'group' ? 'the whole process group' : 'hotpath alone'} reaches the program once`,
        NOT_STUCK,
        async () => {
          const run = await signalledRun(
            ['run', '--python', python!.path, TARGET, 'count-interrupts'],
            'SIGINT',
            target,
          );
          assert.match(run.stdout, /SIGINT received 1 time\(s\)/, run.stderr);
          assert.equal(run.status, 0, run.stderr);
        },
      );
    }

    const TERMINAL = {
      ...NOT_STUCK,
      skip: existsSync(SCRIPT) ? false : `${SCRIPT} (util-linux) is not installed: no terminal to type in`,
    };

    /**
     * Runs `hotpath run … count-interrupts` in the foreground of a new pseudo-terminal (script(1))
     * and calls `onReady` once the program has said READY with its parent's (hotpath's) pid.
     */
    async function inTerminal(
      t: TestContext,
      onReady: (terminal: ChildProcessWithoutNullStreams, hotpathPid: number) => void,
    ): Promise<{ status: number | null; output: string }> {
      // `exec`: hotpath itself leads the terminal's session, whatever shell script(1) starts (dash
      // would otherwise stay in the foreground group, take the ^C too, and exit 130 on its own).
      const command = `exec ${[
        process.execPath,
        BIN,
        'run',
        '--python',
        python!.path,
        TARGET,
        'count-interrupts',
      ]
        .map((word) => `'${word}'`)
        .join(' ')}`;
      const terminal = spawn(SCRIPT, ['-qec', command, '/dev/null'], {
        cwd: workspace.dir,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1', SHELL: '/bin/sh' },
        signal: t.signal, // a timed-out test closes the terminal: everything in it hangs up
        killSignal: 'SIGKILL',
      });
      let output = '';
      let ready = false;
      terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const hotpathPid = /READY \d+ (\d+)\r?\n/.exec(output)?.[1];
        if (!ready && hotpathPid) {
          ready = true;
          onReady(terminal, Number(hotpathPid));
        }
      });
      const status = await new Promise<number | null>((resolve) => terminal.on('close', resolve));
      return { status, output };
    }

    test(
      'Ctrl-C typed in a terminal reaches the program once and the report is printed',
      TERMINAL,
      async (t) => {
        // ^C typed into the terminal becomes SIGINT for its whole foreground process group.
        const { status, output } = await inTerminal(t, (terminal) => terminal.stdin.write('\x03'));
        assert.match(output, /SIGINT received 1 time\(s\)/, output);
        assert.match(output, /count_interrupts/, 'the text report');
        assert.equal(status, 0, output);
      },
    );

    test("kill -INT <hotpath> in a terminal's foreground reaches the program once", TERMINAL, async (t) => {
      // From outside the terminal's group, to hotpath alone: only hotpath can pass it on.
      const { status, output } = await inTerminal(t, (_terminal, hotpathPid) =>
        process.kill(hotpathPid, 'SIGINT'),
      );
      assert.match(output, /SIGINT received 1 time\(s\)/, output);
      assert.match(output, /count_interrupts/, 'the text report');
      assert.equal(status, 0, output);
    });
  },
);
