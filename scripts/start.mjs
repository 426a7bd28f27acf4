// `npm start`: try the extension as a user would. Builds and packages the VSIX, installs it into a
// fresh code-server (the real VS Code workbench in the browser; installed into test/e2e/.tools/
// on first use), opens the example workspace and prints its URL. Runs until Ctrl-C, then stops the
// server and everything it started.
//
// Usage: npm start [-- --port 8080] [-- --workspace path] [-- --skip-build]
//   The port defaults to 8080, or the next free one. State (settings, installed extension) lives
//   in a temp folder and is removed on exit; profiles land in the workspace's .hotpath/.
//   --skip-build installs the VSIX `npm run package` made last (the e2e tests use it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from '../test/e2e/lib/codeServer.mjs';
import { ROOT } from '../test/e2e/lib/workspace.mjs';
import { codeServerInstalled, ensureCodeServer, TOOLS_DIR } from './ensure-code-server.mjs';
import { packageExtension, vsixPath } from './package.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    workspace: { type: 'string', default: path.join(ROOT, 'examples') },
    'skip-build': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write(`start: --port ${values.port} is not a TCP port.\n`);
  process.exit(2);
}

try {
  let vsix = vsixPath();
  if (!values['skip-build'] || !existsSync(vsix)) {
    process.stdout.write('Building and packaging the extension…\n');
    vsix = await packageExtension();
  }
  if (!codeServerInstalled()) {
    process.stdout.write(`Installing code-server into ${TOOLS_DIR} (first run only, about 3 minutes)…\n`);
  }
  await ensureCodeServer();

  const workspace = path.resolve(values.workspace);
  const server = await startCodeServer({ workspace, vsix, port });
  const url = server.workbenchUrl(workspace);
  process.stdout.write(
    `\nHotpath is running in VS Code at\n\n  ${url}\n\n` +
      `Open a Python file and press the flame button in the editor title ` +
      `(or run "Hotpath: Profile Current File").\n` +
      `Server log: ${server.logFile}\nPress Ctrl-C to stop.\n`,
  );

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping code-server…\n');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
