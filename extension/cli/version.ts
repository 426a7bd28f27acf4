/** `hotpath --version`: the package version and, when it loads, the native addon's build. */
import packageJson from '../../package.json';
import { loadNative } from '../native/loadNative';
import { toHotpathError } from '../session/errors';

export function versionText(): string {
  let addon: string;
  try {
    addon = loadNative().version;
  } catch (error) {
    addon = `not loaded (${toHotpathError(error).message})`;
  }
  return `hotpath ${packageJson.version}\nnative addon: ${addon}\nnode ${process.versions.node} ${process.platform}-${process.arch}`;
}
