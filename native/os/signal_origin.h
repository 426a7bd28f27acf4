// Who sent this process a signal. Node reports a signal with its name only; a wrapper that passes
// signals on to its child must know whether the terminal sent it (to the whole foreground process
// group: the child has it already) or another process did (to the wrapper alone).
#pragma once

namespace hotpath {

struct SignalOrigin {
  int count = 0;  // signals recorded so far (0: none yet, the rest is unset)
  int pid = 0;    // sender (0 for the kernel: a terminal's Ctrl-C, a hang-up)
  int code = 0;   // si_code: SI_USER for kill(), SI_KERNEL for the terminal, …
};

// Puts a recorder in front of the handler installed for `signum` (Node's), which keeps running.
// Returns false, changing nothing, when there is no handler to keep (default or ignored
// disposition) or `signum` is out of range. Async-signal-safe recording; call from one thread.
bool recordSignalOrigin(int signum);

// The last recorded signal `signum`. Safe to call at any time.
SignalOrigin lastSignalOrigin(int signum);

}  // namespace hotpath
