#include "python/opcode_sets.h"

#include "python/opcodes_generated.h"

namespace hotpath {

bool opcodeSetsFor(int minor, OpcodeSets& out) { return generated::opcodeSetsFor(minor, out); }

}  // namespace hotpath
