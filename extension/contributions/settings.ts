/**
 * The one way the extension reads its settings: typed by settingsSchema.ts, with the default
 * from there, so no caller repeats a key's spelling or its default.
 */
import * as vscode from 'vscode';
import { SETTING_DEFAULTS, SETTING_CHOICES, type SettingKey, type Settings } from './settingsSchema';

/** `hotpath.<key>` for `resource` (its folder's value in a multi-root workspace). */
export function setting<K extends SettingKey>(key: K, resource?: vscode.Uri): Settings[K] {
  const value = vscode.workspace.getConfiguration('hotpath', resource).get<Settings[K]>(key);
  if (value === undefined || value === null) return SETTING_DEFAULTS[key];
  // A hand-edited settings.json can hold anything: a value off the list reads as the default.
  const choices = SETTING_CHOICES[key];
  if (choices && !choices.includes(value as string)) return SETTING_DEFAULTS[key];
  const fallback = SETTING_DEFAULTS[key];
  if (typeof value !== typeof fallback || Array.isArray(value) !== Array.isArray(fallback)) return fallback;
  return value;
}

/** Whether a configuration change touches one of `keys`. */
export function settingChanged(event: vscode.ConfigurationChangeEvent, ...keys: SettingKey[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`hotpath.${key}`));
}
