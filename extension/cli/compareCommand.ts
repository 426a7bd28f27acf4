/**
 * `hotpath report --compare BASE NEW`: two saved profiles compared (model/compare.ts) through the
 * view the text report reads (library and start-up frames merged into their callers unless
 * --show-all), written as text or JSON to stdout, or to -o FILE.
 */
import { writeFile } from 'node:fs/promises';
import { comparisonJson } from '../format/compareJson';
import { renderCompareText } from '../format/compareText';
import { compareViews } from '../model/compare';
import { createView } from '../model/processors';
import { HotpathError } from '../session/errors';
import type { Command } from './args';
import { printNote } from './messages';
import { formatView, writeFailure } from './output';
import { readProfileFile } from './reportCommand';

type CompareCommand = Extract<Command, { kind: 'compare' }>;

export async function compareCommand(command: CompareCommand): Promise<number> {
  const base = await readProfileFile(command.base);
  const next = await readProfileFile(command.next);
  const options = formatView({ ...command, format: 'text' });
  const comparison = compareViews(createView(base, options), createView(next, options), command.scale);
  const runs = { base, next, baseFile: command.base, newFile: command.next, mode: options.mode };
  const toFile = command.output !== undefined;
  const text =
    command.format === 'json'
      ? `${comparisonJson(comparison, runs)}\n`
      : renderCompareText(comparison, base, next, {
          ...runs,
          color: !toFile && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
          cwd: process.cwd(),
        });
  if (command.output === undefined) {
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return 0;
  }
  try {
    await writeFile(command.output, text);
  } catch (error) {
    throw new HotpathError('HOTPATH_BAD_ARGUMENT', `Cannot write ${command.output}: ${writeFailure(error)}.`);
  }
  printNote(`comparison written to ${command.output}`);
  return 0;
}
