/**
 * Did the program get as far as the user's own code? A script with a syntax
 * error, or one that fails while importing, is sampled only in interpreter
 * start-up and library frames; showing that as a profile would be an empty
 * panel with a confusing tree, so the runner points at the terminal instead.
 * No `vscode` import.
 */
import { classifyFile } from '../model/fileKinds';
import type { RawProfile } from '../model/rawProfile';

/** How many samples have a frame of the user's own code anywhere on their stack. */
export function samplesInUserCode(profile: RawProfile): number {
  const { strings, frameFile, stackParent, stackFrame, sampleStack } = profile;
  const userFile = new Map<number, boolean>();
  const isUserFrame = (frame: number): boolean => {
    const file = frameFile[frame];
    let user = userFile.get(file);
    if (user === undefined) {
      user = classifyFile(strings[file]) === 'user' && !strings[file].startsWith('<');
      userFile.set(file, user);
    }
    return user;
  };
  // Parents precede children in the stack table, so one forward pass settles every node.
  const hasUser = new Uint8Array(stackParent.length);
  for (let s = 0; s < stackParent.length; s++) {
    const parent = stackParent[s];
    hasUser[s] = (parent >= 0 && hasUser[parent]) || isUserFrame(stackFrame[s]) ? 1 : 0;
  }
  let count = 0;
  for (let i = 0; i < sampleStack.length; i++) {
    const stack = sampleStack[i];
    if (stack >= 0 && hasUser[stack]) count++;
  }
  return count;
}
