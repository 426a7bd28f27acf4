/**
 * A recorded-looking profile of a multiprocessing Pool program for the panel-page scripts: the
 * parent waits in `map` while two spawn workers run `crunch` and its helpers (many call paths,
 * so a process's lists are far shorter than the merged ones), and a shell the parent ran starts
 * a tool script. One worker's script name is markup, to be shown as text.
 */
import type { ProcessInfo, RawProfile } from '../../../extension/model/rawProfile';
import { buildProfile, type SampleSpec } from '../../unit/helpers/profileBuilder';

export const POOL_SCRIPT = '/work/app/pool_main.py';
const POOL = '/usr/lib/python3.12/multiprocessing/pool.py';
const HOSTILE = '/work/app/<img src=x onerror="window.__pwned=1">.py';

const PARENT: ProcessInfo = {
  pid: 4100,
  ppid: 1,
  parent: -1,
  argv: ['/usr/bin/python3', POOL_SCRIPT],
  pythonVersion: '3.12.1',
  startUs: 0,
  endUs: 2_000_000,
  exitCode: 0,
  exitSignal: null,
};

export const POOL_PROCESSES: ProcessInfo[] = [
  PARENT,
  {
    ...PARENT,
    pid: 4101,
    ppid: 4100,
    parent: 0,
    argv: ['/usr/bin/python3', '-c', 'from multiprocessing.spawn import spawn_main; spawn_main()'],
    startUs: 200_000,
    endUs: 1_800_000,
  },
  {
    ...PARENT,
    pid: 4102,
    ppid: 4100,
    parent: 0,
    argv: ['/usr/bin/python3', HOSTILE],
    startUs: 300_000,
    endUs: null,
    exitCode: null,
    exitSignal: 'SIGTERM',
  },
  {
    ...PARENT,
    pid: 4103,
    ppid: 4100,
    parent: 0,
    argv: ['/bin/sh', '-c', 'python3 tool.py'],
    pythonVersion: '',
    startUs: 1_200_000,
    endUs: 1_600_000,
    note: 'not CPython (/bin/sh)',
  },
  {
    ...PARENT,
    pid: 4104,
    ppid: 4103,
    parent: 3,
    argv: ['python3', '/work/app/tool.py'],
    startUs: 1_250_000,
    endUs: 1_550_000,
  },
  // A helper that runs no Python (as pyenv's shims run several): in neither selector nor timeline.
  {
    ...PARENT,
    pid: 4105,
    ppid: 4100,
    parent: 0,
    argv: ['/usr/bin/uname', '-m'],
    pythonVersion: '',
    startUs: 100_000,
    endUs: 110_000,
    note: 'not CPython (/usr/bin/uname)',
  },
];

export function poolProfile(): RawProfile {
  const main = `<module>@${POOL_SCRIPT}:40`;
  const samples: SampleSpec[] = [
    { stack: [main, `main@${POOL_SCRIPT}:33`], repeat: 200, time: 0 },
    { stack: [main, `main@${POOL_SCRIPT}:35`, `map@${POOL}:367`], onCpu: false, repeat: 1600 },
    { stack: [main, `main@${POOL_SCRIPT}:37`], repeat: 150 },
  ];
  // Worker threads 1 and 2 (worker 1 also has a result handler thread, 3): many call paths each.
  for (const [thread, start] of [
    [1, 200_000],
    [2, 300_000],
  ]) {
    const worker = [`worker@${POOL}:125`, `mapstar@${POOL}:48`];
    samples.push({ stack: [...worker, `crunch@${POOL_SCRIPT}:12`], repeat: 100, thread, time: start });
    for (let k = 0; k < 40; k++)
      samples.push({
        stack: [...worker, `crunch@${POOL_SCRIPT}:14`, `step_${thread}_${k}@${POOL_SCRIPT}:${100 + k}`],
        repeat: 5 + ((k * 7) % 11),
        thread,
      });
  }
  samples.push({
    stack: [`_handle_results@${POOL}:579`],
    onCpu: false,
    repeat: 300,
    thread: 3,
    time: 250_000,
  });
  samples.push({
    stack: [`<module>@/work/app/tool.py:1`, `tool@/work/app/tool.py:5`],
    repeat: 250,
    thread: 4,
    time: 1_260_000,
  });
  const profile = buildProfile({
    samples,
    threads: [
      { name: 'MainThread', tid: 4100, isMain: true },
      { name: 'MainThread', tid: 4101, isMain: true },
      { name: 'MainThread', tid: 4102, isMain: true },
      { name: 'Thread-3 (_handle_results)', tid: 4110 },
      { name: 'MainThread', tid: 4104, isMain: true },
    ],
    firstLines: { [`crunch@${POOL_SCRIPT}`]: 10, [`main@${POOL_SCRIPT}`]: 30 },
  });
  [0, 1, 2, 1, 4].forEach((process, t) => (profile.threads[t].process = process));
  profile.processes = POOL_PROCESSES;
  profile.meta = { ...profile.meta, argv: PARENT.argv, pid: PARENT.pid, durationUs: 2_000_000 };
  return profile;
}
