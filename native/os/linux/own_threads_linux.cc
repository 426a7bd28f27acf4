// The sampler's own threads on Linux: a nice value and a timer slack belong to
// a thread (named by its TID), not to the process.
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "os/own_threads.h"

namespace hotpath {

void nameThisThread(const char* name) { pthread_setname_np(pthread_self(), name); }

void setFineTimerSlack() {
  // The default 50 µs timer slack lets the kernel batch our wake-ups late:
  // at 10 kHz that alone costs a large share of the ticks.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}

void lowerThisThreadsPriority() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
}

int64_t cpuTimeOfThread(pthread_t thread) {
  clockid_t clock;
  timespec ts;
  if (pthread_getcpuclockid(thread, &clock) != 0 || clock_gettime(clock, &ts) != 0) return -1;
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace hotpath
