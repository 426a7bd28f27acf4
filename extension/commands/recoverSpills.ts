/**
 * At start: spill files left by an extension host that died mid-run are
 * offered as recovered profiles. Accepting saves them as regular profiles and
 * shows them; dismissing deletes them.
 */
import { formatCount } from '../model/displayFormat';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { readSpill } from '../format/spillReader';
import { hashUserSources } from '../run/sourceHashes';
import { presentProfile, type Services } from './services';

export async function offerRecoveredSpills(services: Services): Promise<void> {
  const spills = await services.storage.orphanedSpills();
  for (const spill of spills) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(spill);
    } catch {
      continue;
    }
    let samples = 0;
    let profile;
    try {
      profile = readSpill(bytes).profile;
      samples = profile.sampleTime.length;
    } catch (error) {
      services.log.warn(`recovery: ${spill} is not readable (${(error as Error).message}); deleting it`);
    }
    if (!profile || samples === 0) {
      await fs.rm(spill, { force: true });
      continue;
    }
    const answer = await vscode.window.showInformationMessage(
      `Hotpath: a profile run was interrupted (VS Code closed or crashed). ` +
        `${formatCount(samples)} samples were recovered.`,
      'Open',
      'Discard',
    );
    if (answer === 'Discard') {
      await fs.rm(spill, { force: true });
      continue;
    }
    if (answer !== 'Open') continue; // dismissed: ask again next time
    const hashes = await hashUserSources(profile);
    const saved = await services.storage.save(profile, undefined, hashes);
    await fs.rm(spill, { force: true });
    void presentProfile(services, profile, {
      source: vscode.Uri.file(saved),
      hashes,
      label: 'recovered profile',
    });
  }
}
