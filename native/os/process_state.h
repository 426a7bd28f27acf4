// Whether a process still exists as something that can run Python. A zombie
// (exited, not yet reaped by its parent) counts as gone: its memory is.
#pragma once

namespace hotpath {

bool processGone(int pid);

}  // namespace hotpath
