import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { panelKey } from '../../extension/panel/panelKey';

describe('panelKey', () => {
  it('gives every run of one script the same panel, however the path was typed', () => {
    const a = panelKey({ argv: ['/usr/bin/python3', '/proj/app.py', '--fast'], cwd: '/proj' }, '/p/1.json');
    const b = panelKey({ argv: ['python3', 'app.py'], cwd: '/proj' }, '/p/2.json');
    const c = panelKey({ argv: ['python3', './sub/../app.py'], cwd: '/proj' }, 'run:1:2');
    assert.equal(a, 'script:/proj/app.py');
    assert.equal(b, a);
    assert.equal(c, a);
  });

  it('tells scripts of the same name in different folders apart', () => {
    assert.notEqual(
      panelKey({ argv: ['python3', 'app.py'], cwd: '/one' }, 'x'),
      panelKey({ argv: ['python3', 'app.py'], cwd: '/two' }, 'x'),
    );
  });

  it('keys python -m by module and folder, and what has no script by the profile', () => {
    assert.equal(panelKey({ argv: ['python3', '-m', 'pkg.cli'], cwd: '/proj' }, 'x'), 'module:/proj:pkg.cli');
    assert.equal(
      panelKey({ argv: ['python3', '-c', 'import a.py'], cwd: '/proj' }, '/p/c.json'),
      'profile:/p/c.json',
    );
    assert.equal(panelKey({ argv: [], cwd: '' }, 'run:7:8'), 'profile:run:7:8');
    // The interpreter itself is never the script, whatever its name.
    assert.equal(panelKey({ argv: ['/opt/tool.py'], cwd: '/' }, 'y'), 'profile:y');
  });
});
