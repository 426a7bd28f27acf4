import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { listPythonProcesses, looksLikePython } from '../../extension/run/processList';

describe('looksLikePython', () => {
  it('accepts python, python3 and python3.12 by executable or argv[0]', () => {
    assert.ok(looksLikePython('/usr/bin/python3.11', 'x'));
    assert.ok(looksLikePython('', '/root/.pyenv/versions/3.12.1/bin/python3'));
    assert.ok(looksLikePython('/usr/bin/python', ''));
    assert.ok(!looksLikePython('/usr/bin/node', 'node'));
    assert.ok(!looksLikePython('/usr/bin/python3-config', 'python3-config'));
  });
});

const python = '/usr/bin/python3';

describe('listPythonProcesses', () => {
  it(
    'lists a running Python process with its command line',
    { skip: !existsSync(python) && `${python} is not installed` },
    async () => {
      const child = spawn(python, ['-c', 'import sys; sys.stdin.read()', 'marker-arg'], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      try {
        await new Promise((resolve) => child.once('spawn', resolve));
        // 'spawn' fires once exec succeeded (libuv waits for it), so /proc shows the interpreter.
        const found = (await listPythonProcesses()).find((p) => p.pid === child.pid);
        assert.ok(found, 'the spawned interpreter is listed');
        assert.match(found.command, /import sys/);
        assert.ok(!(await listPythonProcesses()).some((p) => p.pid === process.pid));
      } finally {
        child.kill();
      }
    },
  );
});
