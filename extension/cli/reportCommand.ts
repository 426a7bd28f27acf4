/**
 * `hotpath report FILE`: loads a saved .hotpath.json (validated by the
 * format loader) and renders or converts it; output to stdout unless -o.
 */
import { readFile } from 'node:fs/promises';
import { ProfileFormatError } from '../format/formatError';
import { loadProfile } from '../format/profileFile';
import { HotpathError } from '../session/errors';
import type { Command } from './args';
import { writeProfile } from './output';

type ReportCommand = Extract<Command, { kind: 'report' }>;

export async function reportCommand(command: ReportCommand): Promise<number> {
  let text: string;
  try {
    text = await readFile(command.file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new HotpathError('HOTPATH_BAD_ARGUMENT', `Cannot read ${command.file}: ${reason}.`);
  }
  let profile;
  try {
    profile = loadProfile(text);
  } catch (error) {
    if (!(error instanceof ProfileFormatError)) throw error;
    throw new HotpathError(error.code, `${command.file} is not a usable Hotpath profile: ${error.message}`);
  }
  await writeProfile(profile, command, command.output, process.stdout);
  return 0;
}
