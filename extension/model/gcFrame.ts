/**
 * What the sampler records of the interpreter itself: the garbage collector's frame and the GIL
 * holder. The collector has no code object; a sample of the thread running it gets one frame on
 * top of the Python frames it interrupted, named `<GC>` in the pseudo-file `<interpreter>`, line 0
 * (native/sampler/profile_data.h writes the same names).
 */
import type { RawProfile } from './rawProfile';

export const GC_FRAME_NAME = '<GC>';
export const GC_FRAME_FILE = '<interpreter>';

/** frame → 1 for the collector's frame (one per profile at most, but a merged file may hold more). */
export function gcFrameMask(profile: RawProfile): Uint8Array {
  const { strings, frameFile, frameName, frameFirstLine } = profile;
  const mask = new Uint8Array(frameFile.length);
  for (let f = 0; f < mask.length; f++) {
    if (
      strings[frameName[f]] === GC_FRAME_NAME &&
      strings[frameFile[f]] === GC_FRAME_FILE &&
      frameFirstLine[f] === 0
    ) {
      mask[f] = 1;
    }
  }
  return mask;
}

/** Whether the profile says which thread held the GIL in each sample (GIL mode needs it). */
export function hasGilData(profile: RawProfile): boolean {
  return profile.sampleGil !== undefined;
}
