/** `hotpath` command-line parsing: what each form means and which are refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, UsageError } from '../../extension/cli/args';

test('run script.py: options before the script, everything after belongs to the program', () => {
  assert.deepEqual(parseArgs(['run', '--rate', '250', '--cpu', 'app.py', '--rate', '5', '-o', 'x']), {
    kind: 'run',
    target: { type: 'script', script: 'app.py', args: ['--rate', '5', '-o', 'x'], python: undefined },
    format: 'text',
    output: undefined,
    mode: 'cpu',
    hideGc: false,
    showAll: false,
    hideLibrary: false,
    rateHz: 250,
    followChildren: true,
    asyncTasks: false,
  });
});

test('run follows child processes unless --no-subprocesses; attach only with --subprocesses', () => {
  const follows = (argv: string[]) => {
    const command = parseArgs(argv);
    return command.kind === 'run' || command.kind === 'attach' ? command.followChildren : undefined;
  };
  assert.equal(follows(['run', 'app.py']), true);
  assert.equal(follows(['run', '--no-subprocesses', 'app.py']), false);
  assert.equal(follows(['run', '--no-subprocesses', '--', 'bash', '-c', 'python3 x.py']), false);
  assert.equal(follows(['run', 'app.py', '--no-subprocesses']), true, "the script's own argument");
  assert.equal(follows(['attach', '1234']), false);
  assert.equal(follows(['attach', '1234', '--subprocesses']), true);
  assert.throws(() => parseArgs(['attach', '--no-subprocesses', '1234']), UsageError);
  assert.throws(() => parseArgs(['run', '--subprocesses', 'app.py']), UsageError);
});

test('run -- COMMAND, --option=value and short -o', () => {
  const command = parseArgs([
    'run',
    '--format=json',
    '-o',
    'out.json',
    '--show-all',
    '--',
    'python',
    '-m',
    'pytest',
  ]);
  assert.equal(command.kind, 'run');
  if (command.kind !== 'run') return;
  assert.deepEqual(command.target, { type: 'command', argv: ['python', '-m', 'pytest'] });
  assert.equal(command.format, 'json');
  assert.equal(command.output, 'out.json');
  assert.equal(command.showAll, true);
  assert.equal(command.rateHz, 1000);
});

test('--mode wall|cpu|gil and --hide-gc; --cpu is --mode cpu', () => {
  const mode = (argv: string[]) => {
    const command = parseArgs(argv);
    return command.kind === 'run' || command.kind === 'report' ? command.mode : undefined;
  };
  assert.equal(mode(['run', '--mode', 'gil', 'app.py']), 'gil');
  assert.equal(mode(['run', '--mode=wall', 'app.py']), 'wall');
  assert.equal(mode(['report', 'p.hotpath.json', '--cpu']), 'cpu');
  assert.equal(mode(['run', '--cpu', '--mode', 'cpu', 'app.py']), 'cpu');
  assert.equal(mode(['run', 'app.py']), undefined, "the profile's own mode");
  assert.throws(() => parseArgs(['run', '--mode', 'gill', 'app.py']), /--mode must be one of wall, cpu, gil/);
  assert.throws(
    () => parseArgs(['run', '--cpu', '--mode', 'gil', 'app.py']),
    /give one of --cpu and --mode gil/,
  );
  const hides = parseArgs(['attach', '--hide-gc', '1234']);
  assert.equal(hides.kind === 'attach' && hides.hideGc, true);
  const dump = parseArgs(['dump', '--subprocesses', '1234']);
  assert.equal(dump.kind === 'dump' && dump.subprocesses, true);
});

test('run --python applies to the script', () => {
  const command = parseArgs(['run', '--python', '/opt/py/bin/python3', 'a.py']);
  assert.equal(
    command.kind === 'run' && command.target.type === 'script' && command.target.python,
    '/opt/py/bin/python3',
  );
});

test('attach PID with --duration; report FILE', () => {
  assert.deepEqual(parseArgs(['attach', '--duration', '2.5', '1234']), {
    kind: 'attach',
    pid: 1234,
    durationS: 2.5,
    format: 'text',
    output: undefined,
    mode: undefined,
    hideGc: false,
    showAll: false,
    hideLibrary: false,
    rateHz: 1000,
    followChildren: false,
    asyncTasks: false,
  });
  const report = parseArgs(['report', '--format', 'collapsed', '--hide-library', 'p.hotpath.json']);
  assert.equal(report.kind === 'report' && report.file, 'p.hotpath.json');
  assert.equal(report.kind === 'report' && report.hideLibrary, true);
});

test('attach and report take options after the PID / file too, as most commands do', () => {
  const before = parseArgs(['attach', '--duration', '2', '--format', 'json', '1234']);
  assert.deepEqual(parseArgs(['attach', '1234', '--duration', '2', '--format', 'json']), before);
  assert.deepEqual(parseArgs(['attach', '--duration=2', '1234', '--format=json']), before);
  assert.equal(before.kind === 'attach' && before.durationS, 2);
  assert.deepEqual(
    parseArgs(['report', 'p.hotpath.json', '--format', 'collapsed', '-o', 'out.txt']),
    parseArgs(['report', '--format', 'collapsed', '-o', 'out.txt', 'p.hotpath.json']),
  );
  // run keeps what follows the script for the script, options included.
  const run = parseArgs(['run', 'app.py', '--duration', '2']);
  assert.deepEqual(run.kind === 'run' && run.target, {
    type: 'script',
    script: 'app.py',
    args: ['--duration', '2'],
    python: undefined,
  });
});

test('help and version', () => {
  assert.deepEqual(parseArgs([]), { kind: 'help' });
  assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
  assert.deepEqual(parseArgs(['help', 'attach']), { kind: 'help', topic: 'attach' });
  assert.deepEqual(parseArgs(['run', '--help']), { kind: 'help', topic: 'run' });
  assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
});

test('refused with a UsageError that says what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [['run'], /no script/],
    [['run', '--'], /nothing to run/],
    [['run', '--python', 'p', '--', 'python', 'x.py'], /--python applies to a script/],
    [['run', '--rate', '0', 'a.py'], /--rate must be/],
    [['run', '--rate', '20001', 'a.py'], /--rate must be/],
    [['run', '--rate', 'fast', 'a.py'], /--rate must be/],
    [['run', '--format', 'svg', 'a.py'], /--format must be one of/],
    [['run', '--duration', '3', 'a.py'], /unknown option --duration/],
    [['run', '--cpu=yes', 'a.py'], /takes no value/],
    [['run', '-o'], /needs a value/],
    [['attach'], /exactly one process id/],
    [['attach', '12', '13'], /exactly one process id \(got "12" "13"\)/],
    [['attach', '12', '--duration', '2', '13'], /exactly one process id/],
    [['attach', '12', '--nope'], /unknown option --nope for `hotpath attach`/],
    [['attach', '-5'], /unknown option/],
    [['attach', 'x'], /not a process id/],
    [['attach', '--duration', '0', '12'], /--duration must be/],
    [['report'], /exactly one profile file/],
    [['report', '--show-all', '--hide-library', 'p.json'], /give one of them/],
    [['app.py'], /did you mean `hotpath run app.py`/],
    [['profile'], /unknown command/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseArgs(argv),
      (error: unknown) => error instanceof UsageError && message.test(error.message),
      argv.join(' '),
    );
  }
});

test('mcp takes no arguments', () => {
  assert.deepEqual(parseArgs(['mcp']), { kind: 'mcp' });
  assert.deepEqual(parseArgs(['mcp', '--help']), { kind: 'help', topic: 'mcp' });
  assert.throws(() => parseArgs(['mcp', 'extra']), /mcp takes no arguments/);
});
