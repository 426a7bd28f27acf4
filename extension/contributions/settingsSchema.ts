/**
 * Every setting under `hotpath.`, its type, its default and its choices, in one place.
 * package.json's `contributes.configuration` must declare the same keys, defaults and choices (a
 * unit test checks it); code reads settings only through contributions/settings.ts, typed by this
 * table.
 */
export const TIME_MODES = ['wall', 'cpu', 'gil'] as const;
export const PROFILE_LOCATIONS = ['workspace', 'extensionStorage'] as const;
export const ANNOTATION_STYLES = ['full', 'gutter', 'off'] as const;

export type AnnotationStyle = (typeof ANNOTATION_STYLES)[number];
export type ProfileLocation = (typeof PROFILE_LOCATIONS)[number];

export interface Settings {
  pythonPath: string;
  args: string[];
  cwd: string;
  env: Record<string, string | null>;
  samplingRate: number;
  timeMode: (typeof TIME_MODES)[number];
  hideLibraryFrames: boolean;
  hideGcFrames: boolean;
  profileLocation: ProfileLocation;
  testCodeLens: boolean;
  'annotations.threshold': number;
  'annotations.style': AnnotationStyle;
  'live.enabled': boolean;
  followSubprocesses: boolean;
  asyncTasks: boolean;
}

export type SettingKey = keyof Settings;

export const SETTING_DEFAULTS: Readonly<Settings> = {
  pythonPath: '',
  args: [],
  cwd: '',
  env: {},
  samplingRate: 1000,
  timeMode: 'wall',
  hideLibraryFrames: true,
  hideGcFrames: false,
  profileLocation: 'workspace',
  testCodeLens: true,
  'annotations.threshold': 1,
  'annotations.style': 'full',
  'live.enabled': true,
  followSubprocesses: true,
  asyncTasks: true,
};

/** The settings whose value is one of a list: package.json's `enum` must be the same list. */
export const SETTING_CHOICES: Partial<Record<SettingKey, readonly string[]>> = {
  timeMode: TIME_MODES,
  profileLocation: PROFILE_LOCATIONS,
  'annotations.style': ANNOTATION_STYLES,
};
