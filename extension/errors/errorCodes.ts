/**
 * Every error code a user can see, where it comes from and what it means: the one table. The
 * types of the native, session and profile-format errors are derived from it; a unit test checks
 * it against the C++ names (native/os/error.cc), against every `HOTPATH_*` code written anywhere
 * in extension/ and native/, and against the README's Troubleshooting table.
 */
type Origin = 'native' | 'session' | 'format' | 'files' | 'editor' | 'panel';

interface ErrorCodeInfo {
  /**
   * Who raises it: the addon, the profiling session (CLI and extension), the profile readers
   * (format/: a file's content), saving and opening files, the editor's commands, the panel.
   */
  readonly from: Origin;
  /** What happened, in a few words (the messages themselves say what to do). */
  readonly meaning: string;
}

export const ERROR_CODES = {
  // The native addon: mirrored by `enum class ErrorCode` and errorCodeName() in native/os/.
  HOTPATH_BAD_ARGUMENT: { from: 'native', meaning: 'an option, argument or output path is not usable' },
  HOTPATH_NO_PROCESS: { from: 'native', meaning: 'the process does not exist or exited at once' },
  HOTPATH_NOT_PYTHON: { from: 'native', meaning: 'the process runs no CPython interpreter' },
  HOTPATH_UNSUPPORTED_VERSION: {
    from: 'native',
    meaning: 'a CPython version or build the reader does not know',
  },
  HOTPATH_PERMISSION: {
    from: 'native',
    meaning: "the kernel refused to let Hotpath read the process's memory",
  },
  HOTPATH_TIMEOUT: { from: 'native', meaning: 'the interpreter did not initialise in time' },
  HOTPATH_SPILL_IO: { from: 'native', meaning: 'the spill file cannot be written' },
  HOTPATH_INTERNAL: { from: 'native', meaning: 'a bug in Hotpath' },
  // The profiling session, shared by the CLI and the extension.
  HOTPATH_PYTHON_NOT_FOUND: { from: 'session', meaning: 'the interpreter path does not resolve to a file' },
  HOTPATH_PYTHON_NOT_EXECUTABLE: { from: 'session', meaning: 'the interpreter cannot be run' },
  HOTPATH_NOT_CPYTHON: { from: 'session', meaning: 'PyPy, GraalPy or another implementation' },
  HOTPATH_SPAWN_FAILED: { from: 'session', meaning: 'the program could not be started' },
  HOTPATH_SCRIPT_NOT_FOUND: { from: 'session', meaning: 'the script to run does not exist' },
  HOTPATH_NATIVE_MISSING: { from: 'session', meaning: 'the native addon is not built or does not load' },
  // The profile readers (format/): what is wrong with a file's content.
  HOTPATH_PROFILE_NOT_JSON: { from: 'format', meaning: 'a profile file is not JSON (truncated or corrupt)' },
  HOTPATH_PROFILE_NOT_A_PROFILE: { from: 'format', meaning: 'valid JSON, but not a Hotpath profile' },
  HOTPATH_PROFILE_FUTURE_VERSION: { from: 'format', meaning: 'a profile written by a newer Hotpath' },
  HOTPATH_PROFILE_INVALID: {
    from: 'format',
    meaning: 'a field of a profile is missing, of the wrong type or out of range',
  },
  HOTPATH_SPILL_INVALID: { from: 'format', meaning: 'a spill file without a valid header' },
  // Opening, saving and exporting files.
  HOTPATH_PROFILE_TOO_LARGE: { from: 'files', meaning: 'a profile file too large to open' },
  HOTPATH_PROFILE_UNREADABLE: { from: 'files', meaning: 'a profile file cannot be read' },
  HOTPATH_PROFILE_SAVE_FAILED: { from: 'files', meaning: 'a finished profile could not be saved' },
  HOTPATH_REPORT_PAGE_MISSING: { from: 'files', meaning: 'the HTML report page is not built' },
  HOTPATH_REPORT_PAGE_INVALID: { from: 'files', meaning: 'the built HTML report page is damaged' },
  HOTPATH_EXPORT_FAILED: { from: 'files', meaning: 'an export could not be written' },
  // The editor's commands.
  HOTPATH_UNTRUSTED: { from: 'editor', meaning: 'the workspace is not trusted, so nothing runs' },
  HOTPATH_NOT_PYTHON_FILE: { from: 'editor', meaning: 'the file to profile is not a Python file' },
  HOTPATH_NO_FILE: { from: 'editor', meaning: 'no file is open to profile' },
  HOTPATH_NOT_LOCAL_FILE: { from: 'editor', meaning: 'the file is not on this machine' },
  HOTPATH_SAVE_FAILED: { from: 'editor', meaning: 'the file could not be saved before the run' },
  HOTPATH_BAD_CWD: { from: 'editor', meaning: 'the working directory setting names no folder' },
  HOTPATH_NO_TEST: { from: 'editor', meaning: 'the file has no such test, or no test at all' },
  HOTPATH_NO_PYTEST: { from: 'editor', meaning: 'the test needs pytest and the interpreter lacks it' },
  HOTPATH_TEST_SETTINGS: {
    from: 'editor',
    meaning: 'unittest cannot import the test file by name from the configured folders',
  },
  // The profile panel.
  HOTPATH_PANEL_VIEW_FAILED: { from: 'panel', meaning: 'the panel could not build a view' },
  HOTPATH_PANEL_OPEN_FAILED: { from: 'panel', meaning: 'a clicked location could not be opened' },
} as const satisfies Record<`HOTPATH_${string}`, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

type CodesFrom<O extends Origin> = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]['from'] extends O ? K : never;
}[ErrorCode];

export type NativeErrorCode = CodesFrom<'native'>;
export type SessionErrorCode = CodesFrom<'session'>;
export type ProfileFormatErrorCode = CodesFrom<'format'>;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export function isNativeErrorCode(value: unknown): value is NativeErrorCode {
  return isErrorCode(value) && ERROR_CODES[value].from === 'native';
}
