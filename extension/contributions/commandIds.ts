/**
 * Every command the extension contributes, with what it takes. package.json's
 * `contributes.commands` must list exactly these ids (a unit test checks it); the handlers in
 * commands/registerCommands.ts and every place that builds a command link are typed by this map,
 * so an id cannot be misspelt and arguments cannot drift from what the handler reads.
 *
 * Arguments that arrive from menus, keybindings or other extensions are `unknown` and checked by
 * the handler; the ones the extension builds itself (CodeLens, hovers) have their real types.
 */

/** `hotpath.revealLocation`: a hover's link to a caller or callee (absolute path, 1-based line). */
export interface RevealLocationArgs {
  path: string;
  line: number;
}

export interface CommandArgs {
  'hotpath.profileFile': [uri?: unknown];
  'hotpath.profileFileWithArgs': [uri?: unknown, args?: unknown];
  /** A test's CodeLens: the file and the test's names from the module down (`['TestX', 'test_y']`). */
  'hotpath.profileTest': [uri?: unknown, testPath?: unknown];
  'hotpath.profileTestsInFile': [uri?: unknown];
  'hotpath.attach': [options?: unknown];
  'hotpath.stop': [];
  'hotpath.reset': [];
  'hotpath.clearAnnotations': [];
  /** A saved profile to compare with (a Uri or an absolute path); without it, the user picks. */
  'hotpath.compareWith': [baseline?: unknown];
  'hotpath.stopComparing': [];
  'hotpath.openProfile': [uri?: unknown];
  'hotpath.exportProfile': [request?: unknown];
  'hotpath.revealLocation': [location: RevealLocationArgs];
  'hotpath.showPanel': [];
  'hotpath.showLastProfile': [];
  /** A function's key (model/profileIndex.ts `functionKey`), which the handler parses back. */
  'hotpath.revealFunction': [functionKey: string];
  /** `{ pid }` reads that process; nothing: pick one. */
  'hotpath.showStacks': [options?: unknown];
  'hotpath.refreshStacks': [];
  'hotpath.closeStacks': [];
  /** `{ pid }` shows that process of the shown profile, `{ all: true }` every one; nothing: pick. */
  'hotpath.showProcess': [choice?: unknown];
}

export type CommandId = keyof CommandArgs;

/** Every id, in package.json's order (the map's keys, listed once for code that needs values). */
export const COMMAND_IDS = [
  'hotpath.profileFile',
  'hotpath.profileFileWithArgs',
  'hotpath.profileTest',
  'hotpath.profileTestsInFile',
  'hotpath.attach',
  'hotpath.stop',
  'hotpath.reset',
  'hotpath.clearAnnotations',
  'hotpath.compareWith',
  'hotpath.stopComparing',
  'hotpath.openProfile',
  'hotpath.exportProfile',
  'hotpath.revealLocation',
  'hotpath.showPanel',
  'hotpath.showLastProfile',
  'hotpath.revealFunction',
  'hotpath.showStacks',
  'hotpath.refreshStacks',
  'hotpath.closeStacks',
  'hotpath.showProcess',
] as const satisfies readonly CommandId[];

/** A command and its arguments for a CodeLens or a status bar item: the id decides the types. */
export function commandCall<K extends CommandId>(
  id: K,
  ...args: CommandArgs[K]
): { command: K; arguments: CommandArgs[K] } {
  return { command: id, arguments: args };
}

/** A `command:` link for trusted Markdown (a hover): the arguments as VS Code decodes them. */
export function commandUri<K extends CommandId>(id: K, ...args: CommandArgs[K]): string {
  return `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;
}

// Fails to compile when an id is in the map but not in the list (or the other way round).
type Missing = Exclude<CommandId, (typeof COMMAND_IDS)[number]>;
const everyIdListed: [Missing] extends [never] ? true : Missing = true;
void everyIdListed;
