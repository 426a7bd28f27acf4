/**
 * The interpreters scripts/install-cpython.sh installs really run, each in the layout its path
 * promises: Debian's build with `_PyRuntime` in the executable, the launcher with it in
 * libpython3.X.so; both on the glibc unpacked beside them, never the system's, and both finding
 * their standard library without PYTHONHOME.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cpythonCacheDir } from '../../scripts/cpythonCache';
import { currentCpythons } from './helpers/pythons';

// Where the running interpreter's pieces come from, as its own memory map shows them.
// Py_ENABLE_SHARED cannot tell the layouts apart: Debian's sysconfig says 1 for both.
const REPORT = `
import ctypes, json, os, sys, sysconfig
import ssl, sqlite3, decimal, asyncio, threading, multiprocessing
runtime = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, "_PyRuntime"))
runtime_file, files = None, set()
for line in open("/proc/self/maps"):
    fields = line.split()
    if len(fields) < 6:
        continue
    files.add(fields[5])
    low, high = (int(x, 16) for x in fields[0].split("-"))
    if low <= runtime < high:
        runtime_file = fields[5]
print(json.dumps({
    "version": sys.version.split()[0],
    "executable": sys.executable,
    "prefix": sys.prefix,
    "stdlib": sysconfig.get_path("stdlib"),
    "osModule": os.__file__,
    "runtimeFile": runtime_file,
    "loaders": sorted(f for f in files if os.path.basename(f).startswith("ld-linux")),
    "libcs": sorted(f for f in files if os.path.basename(f) == "libc.so.6"),
}))
`;

interface Report {
  version: string;
  executable: string;
  prefix: string;
  stdlib: string;
  osModule: string;
  runtimeFile: string | null;
  loaders: string[];
  libcs: string[];
}

for (const python of currentCpythons()) {
  test(`CPython ${python.label} from the install step`, { skip: python.missingReason ?? false }, () => {
    const env = { ...process.env };
    delete env.PYTHONHOME;
    delete env.PYTHONPATH;
    const report = JSON.parse(
      execFileSync(python.path, ['-c', REPORT], { encoding: 'utf8', env, timeout: 30_000 }),
    ) as Report;
    const cache = realpathSync(cpythonCacheDir());
    const libdir = join(cache, 'debian', 'usr', 'lib', 'x86_64-linux-gnu');

    assert.ok(report.version.startsWith(`${python.minor}.`), `${python.path} reports ${report.version}`);
    assert.equal(report.executable, python.path);
    const prefix = python.layout === 'static' ? join(cache, 'debian', 'usr') : join(cache, 'shared');
    assert.equal(realpathSync(report.prefix), prefix);
    assert.equal(report.stdlib, join(report.prefix, 'lib', `python${python.minor}`));
    assert.equal(realpathSync(report.osModule), join(libdir, '..', `python${python.minor}`, 'os.py'));

    const runtimeFile =
      python.layout === 'static'
        ? realpathSync(python.path)
        : join(libdir, `libpython${python.minor}.so.1.0`);
    assert.equal(report.runtimeFile, runtimeFile, '_PyRuntime is where the layout puts it');

    assert.deepEqual(report.loaders, [join(libdir, 'ld-linux-x86-64.so.2')]);
    assert.deepEqual(report.libcs, [join(libdir, 'libc.so.6')]);
  });
}
