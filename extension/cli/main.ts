/**
 * Entry point of the `hotpath` command (bundled to dist/cli.js, started by
 * bin/hotpath.js). Parses the command line, runs one command and exits with
 * its status; every failure is printed with its code, never a stack trace.
 */
import { parseArgs } from './args';
import { compareCommand } from './compareCommand';
import { helpText } from './help';
import { dumpCommand } from './dumpCommand';
import { EXIT_HOTPATH_ERROR, printError } from './messages';
import packageJson from '../../package.json';
import { serveMcp } from '../mcp/mcpServer';
import { mcpTools } from '../mcp/mcpTools';
import { reportCommand } from './reportCommand';
import { attachCommand, runCommand } from './runCommand';
import { versionText } from './version';

async function main(argv: string[]): Promise<number> {
  const command = parseArgs(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${helpText(command.topic)}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${versionText()}\n`);
      return 0;
    case 'run':
      return runCommand(command);
    case 'attach':
      return attachCommand(command);
    case 'report':
      return reportCommand(command);
    case 'compare':
      return compareCommand(command);
    case 'dump':
      return dumpCommand(command);
    case 'mcp':
      await serveMcp(mcpTools(), { name: 'hotpath', version: packageJson.version });
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    printError(error);
    process.exitCode = EXIT_HOTPATH_ERROR;
  },
);
