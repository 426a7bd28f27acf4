// The OS side of the sampler's own threads: names, scheduling, CPU time.
// Each call affects or asks about a thread of this process only; failing
// leaves the thread as it was (the program then pays a little, nothing is lost).
#pragma once

#include <pthread.h>

#include <cstdint>

namespace hotpath {

// For `top -H` and debuggers; at most 15 characters.
void nameThisThread(const char* name);

// Nice 19 and 1 ns timer slack for the calling thread only. An unprivileged
// thread cannot undo the nice value (RLIMIT_NICE), hence Sampler's second
// thread (sampler/thread_priority.h says why it is lowered).
void lowerThisThreadsPriority();
void setFineTimerSlack();

// The CPU time a thread of this process has used (ns), asked from another
// thread; -1 when the system cannot tell.
int64_t cpuTimeOfThread(pthread_t thread);

}  // namespace hotpath
