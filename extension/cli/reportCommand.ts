/**
 * `hotpath report FILE`: loads a saved .hotpath.json (validated by the
 * format loader) and renders or converts it; output to stdout unless -o.
 */
import { readFile } from 'node:fs/promises';
import { ProfileFormatError } from '../format/formatError';
import { loadProfile } from '../format/profileFile';
import type { RawProfile } from '../model/rawProfile';
import { HotpathError } from '../session/errors';
import type { Command } from './args';
import { writeProfile } from './output';

type ReportCommand = Extract<Command, { kind: 'report' }>;

export async function reportCommand(command: ReportCommand): Promise<number> {
  const profile = await readProfileFile(command.file);
  await writeProfile(profile, command, command.output, process.stdout);
  return 0;
}

/** A saved profile, or a HotpathError saying why the file cannot be used. */
export async function readProfileFile(file: string): Promise<RawProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new HotpathError('HOTPATH_BAD_ARGUMENT', `Cannot read ${file}: ${reason}.`);
  }
  try {
    return loadProfile(text);
  } catch (error) {
    if (!(error instanceof ProfileFormatError)) throw error;
    throw new HotpathError(error.code, `${file} is not a usable Hotpath profile: ${error.message}`);
  }
}
