/**
 * Where profiles and spill files live. Profiles go to the workspace folder's
 * `.hotpath/` or to the extension's storage (setting `hotpath.profileLocation`);
 * spill files always go to the extension's global storage, named after the
 * extension host that writes them, so that a later start can tell a spill
 * left behind by a dead host (offered as a recovered profile) from one another
 * window is still writing.
 *
 * What is written outside the workspace holds the program's paths and names, so it is kept from
 * other users: folders 0700, files 0600 (the sampler creates spill files 0600 itself, never
 * through an existing file or link).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RawProfile } from '../model/rawProfile';
import { saveProfile } from '../format/profileFile';
import { makePrivateDir } from './privateDir';
import { findOrphanedSpills, spillFileName } from './spillFiles';
import { setting } from '../contributions/settings';

export const PROFILE_EXTENSION = '.hotpath.json';
/** workspaceState key prefix: profile path → source hashes at profile time. */
const HASHES_KEY = 'hotpath.sourceHashes:';

export class ProfileStorage {
  constructor(private readonly context: vscode.ExtensionContext) {}

  /** The folder a profile of `resource` is saved in. */
  profileDir(resource: vscode.Uri | undefined): string {
    return this.profileFolder(resource).dir;
  }

  /** The folder, and whether it is the workspace's `.hotpath/` (the user's to share) or ours. */
  private profileFolder(resource: vscode.Uri | undefined): { dir: string; inWorkspace: boolean } {
    const location = setting('profileLocation', resource);
    const folder = resource
      ? vscode.workspace.getWorkspaceFolder(resource)
      : vscode.workspace.workspaceFolders?.[0];
    if (location === 'workspace' && folder?.uri.scheme === 'file')
      return { dir: path.join(folder.uri.fsPath, '.hotpath'), inWorkspace: true };
    const storage = (this.context.storageUri ?? this.context.globalStorageUri).fsPath;
    return { dir: path.join(storage, 'profiles'), inWorkspace: false };
  }

  /**
   * Where Open and Export dialogs start: the workspace's `.hotpath/` when it
   * exists (where profiles are saved by default), else where profiles of
   * `resource` are saved.
   */
  async dialogDir(resource: vscode.Uri | undefined): Promise<string> {
    const folder = resource
      ? vscode.workspace.getWorkspaceFolder(resource)
      : vscode.workspace.workspaceFolders?.[0];
    if (folder?.uri.scheme === 'file') {
      const dir = path.join(folder.uri.fsPath, '.hotpath');
      if (
        await fs.stat(dir).then(
          (stat) => stat.isDirectory(),
          () => false,
        )
      )
        return dir;
    }
    return this.profileDir(resource);
  }

  /** A fresh spill path for a run started by this extension host. */
  async newSpillPath(): Promise<string> {
    const dir = this.spillDir();
    await makePrivateDir(dir);
    return path.join(dir, spillFileName(process.pid, Date.now()));
  }

  /** Spill files whose extension host is gone: what a crash left behind. */
  async orphanedSpills(): Promise<string[]> {
    return findOrphanedSpills(this.spillDir());
  }

  /** Saves a profile; returns its path. */
  async save(
    profile: RawProfile,
    resource: vscode.Uri | undefined,
    hashes: ReadonlyMap<string, string>,
  ): Promise<string> {
    const { dir, inWorkspace } = this.profileFolder(resource);
    if (inWorkspace) await fs.mkdir(dir, { recursive: true });
    else await makePrivateDir(dir);
    const base = path.join(dir, `${profileStem(profile)}-${timestamp(profile.meta.startedAt)}`);
    const text = saveProfile(profile);
    // Two runs in the same second get -2, -3, …; 'wx' never overwrites an earlier profile.
    for (let attempt = 1; ; attempt++) {
      const file = `${base}${attempt > 1 ? `-${attempt}` : ''}${PROFILE_EXTENSION}`;
      try {
        await fs.writeFile(file, text, { encoding: 'utf8', flag: 'wx', mode: inWorkspace ? 0o666 : 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
        throw error;
      }
      await this.rememberHashes(file, hashes);
      return file;
    }
  }

  async rememberHashes(profilePath: string, hashes: ReadonlyMap<string, string>): Promise<void> {
    await this.context.workspaceState.update(HASHES_KEY + profilePath, Object.fromEntries(hashes));
  }

  /** Source hashes recorded when the profile was taken here; empty for a profile from elsewhere. */
  hashesFor(profilePath: string): Map<string, string> {
    const stored = this.context.workspaceState.get<Record<string, string>>(HASHES_KEY + profilePath);
    return new Map(stored ? Object.entries(stored).filter(([, v]) => typeof v === 'string') : []);
  }

  private spillDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'spill');
  }
}

/** `app` for `python /x/app.py --flag`; `pid1234` for an attached process without a script. */
function profileStem(profile: RawProfile): string {
  const script = profile.meta.argv.slice(1).find((arg) => /\.pyw?$/.test(arg));
  const stem = script ? path.basename(script).replace(/\.pyw?$/, '') : `pid${profile.meta.pid}`;
  return stem.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'profile';
}

function timestamp(ms: number): string {
  const d = new Date(Number.isFinite(ms) && ms > 0 ? ms : Date.now());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}
