// One code-server (the real VS Code workbench, served over HTTP) in its own throw-away state:
// user data, extensions, config and XDG folders all live in a fresh temp dir, so nothing leaks
// into the home folder and every suite starts from a clean profile. The server runs in its own
// session (setsid) and is stopped by signalling the whole process group, which takes the
// extension hosts, file watchers and terminals it started down with it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { URLSearchParams } from 'node:url';
import path from 'node:path';
import { toolPaths } from '../../../scripts/ensure-code-server.mjs';

/** Settings that keep the workbench quiet: no welcome page, AI panels, update or telemetry. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Process groups of servers still running: killed if this process exits before stop(). */
const liveGroups = new Set();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** A TCP port nobody listens on right now, preferring `preferred` when it is free. */
export async function freePort(preferred = 0) {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : null));
      });
    });
  if (preferred) {
    const port = await tryListen(preferred);
    if (port) return port;
  }
  const port = await tryListen(0);
  if (!port) throw new Error('E_E2E_PORT: no free TCP port on 127.0.0.1.');
  return port;
}

/** Runs code-server's own CLI (e.g. --install-extension) against the given state dirs. */
function codeServerCli(state, args) {
  const { node, codeServerEntry } = toolPaths();
  const result = spawnSync(
    node,
    [
      codeServerEntry,
      '--config',
      state.config,
      '--user-data-dir',
      state.userData,
      '--extensions-dir',
      state.extensions,
      ...args,
    ],
    { env: state.env, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) {
    throw new Error(
      `E_E2E_CODE_SERVER_CLI: code-server ${args.join(' ')} exited with ${result.status}:\n` +
        `${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * Prepares fresh state dirs, installs `vsix` (if given) and starts code-server on `workspace`.
 * @param {{ workspace: string, vsix?: string, settings?: Record<string, unknown>,
 *           port?: number, logFile?: string, keepState?: boolean, testDriver?: boolean,
 *           workspaceTrust?: boolean, env?: Record<string, string> }} options
 *   testDriver: enable VS Code's smoke-test driver (extension-host test payloads, automation hooks).
 *   workspaceTrust: keep Workspace Trust on (the default is --disable-workspace-trust); env: added
 *   to the server's environment, which its extension hosts inherit.
 */
export async function startCodeServer(options) {
  const root = mkdtempSync(path.join(tmpdir(), 'hotpath-code-server-'));
  const state = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    config: path.join(root, 'config.yaml'),
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
      XDG_DATA_HOME: path.join(root, 'xdg-data'),
      XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
      // Not our Node 20 tooling's npm settings: the server has its own Node.
      npm_config_nodedir: undefined,
      ...options.env,
    },
  };
  for (const dir of [state.userData, state.extensions]) mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(state.userData, 'User'), { recursive: true });
  writeFileSync(state.config, 'auth: none\ncert: false\n');
  writeFileSync(
    path.join(state.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  if (options.vsix) {
    try {
      codeServerCli(state, ['--install-extension', options.vsix]);
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  const port = await freePort(options.port ?? 0);
  const { node, codeServerEntry } = toolPaths();
  const logFile = options.logFile ?? path.join(root, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    node,
    [
      codeServerEntry,
      '--config',
      state.config,
      '--user-data-dir',
      state.userData,
      '--extensions-dir',
      state.extensions,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      // Makes the workbench honour the test payload and call codeAutomationLog/Exit.
      ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      options.workspace,
    ],
    // detached: the server becomes the leader of a new session and process group (setsid).
    { env: state.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  liveGroups.add(child.pid);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    signalGroup('SIGTERM');
    const timer = new Promise((resolve) => setTimeout(resolve, 3000, 'timeout'));
    if ((await Promise.race([exited, timer])) === 'timeout') signalGroup('SIGKILL');
    // Children that ignored SIGTERM (a profiled program, a terminal) still share the group.
    signalGroup('SIGKILL');
    liveGroups.delete(child.pid);
    log.end();
    if (!options.keepState) rmSync(root, { recursive: true, force: true });
  };

  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, exited, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    origin,
    port,
    state,
    logFile,
    stop,
    /**
     * Workbench URL for `folder`; `payload` entries (e.g. extensionTestsPath) take local absolute
     * paths and are turned into vscode-remote URIs of this server.
     */
    workbenchUrl(folder, payload = {}) {
      const entries = Object.entries(payload).map(([key, localPath]) => [
        key,
        `vscode-remote://127.0.0.1:${port}${localPath}`,
      ]);
      const query = new URLSearchParams({ folder });
      if (entries.length) query.set('payload', JSON.stringify(entries));
      return `${origin}/?${query.toString()}`;
    },
  };
}

async function waitForHealth(origin, exited, logFile) {
  let exit = null;
  exited.then((value) => (exit = value));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `E_E2E_CODE_SERVER_START: code-server exited (${exit.code ?? exit.signal}) before it ` +
          `answered; see ${logFile}.`,
      );
    }
    try {
      const response = await globalThis.fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`E_E2E_CODE_SERVER_START: no answer from ${origin}/healthz in 30 s; see ${logFile}.`);
}
