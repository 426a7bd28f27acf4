/**
 * Where the CLI writes an export: binary formats never to a terminal, and a
 * file that cannot be written is a clear error, not a stack trace.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { writeProfile } from '../../extension/cli/output';
import { HotpathError } from '../../extension/session/errors';
import { twoThreadProfile } from './helpers/twoThreadProfile';

const options = { hideGc: false, showAll: false, hideLibrary: false } as const;

describe('CLI output', () => {
  it('refuses to write pprof to a terminal, and writes it to a pipe', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    await assert.rejects(
      writeProfile(twoThreadProfile(), { ...options, format: 'pprof' }, undefined, terminal),
      (error: unknown) => error instanceof HotpathError && /binary format: give -o FILE/.test(error.message),
    );
    const pipe = new PassThrough();
    const chunks: Buffer[] = [];
    pipe.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writeProfile(twoThreadProfile(), { ...options, format: 'pprof' }, undefined, pipe);
    const bytes = Buffer.concat(chunks);
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'gzip, unchanged (no newline added)');
  });

  it('says why a file cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-output-'));
    try {
      const missing = join(dir, 'no-such-folder', 'out.cpuprofile');
      await assert.rejects(
        writeProfile(twoThreadProfile(), { ...options, format: 'cpuprofile' }, missing),
        (error: unknown) =>
          error instanceof HotpathError &&
          error.code === 'HOTPATH_BAD_ARGUMENT' &&
          error.message ===
            `Cannot write ${missing}: its folder does not exist (create it, or give -o a path in an existing folder).`,
      );
      await assert.rejects(
        writeProfile(twoThreadProfile(), { ...options, format: 'firefox' }, dir),
        (error: unknown) => error instanceof HotpathError && /it is a folder/.test(error.message),
      );
      const file = join(dir, 'out.firefox.json');
      await writeProfile(twoThreadProfile(), { ...options, format: 'firefox' }, file);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).threads.length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
