#include "sampler/thread_priority.h"

#include <pthread.h>

#ifdef __linux__
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace hotpath {

void nameThisThread(const char* name) {
#ifdef __linux__
  pthread_setname_np(pthread_self(), name);
#else
  (void)name;
#endif
}

void setFineTimerSlack() {
#ifdef __linux__
  // The default 50 µs timer slack lets the kernel batch our wake-ups late:
  // at 10 kHz that alone costs a large share of the ticks.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
}

void lowerThisThreadsPriority() {
#ifdef __linux__
  // On Linux a nice value belongs to a thread, named by its TID.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
#endif
}

bool StarvationWatch::starved(int64_t nowNs, uint64_t ticks, int64_t dueNs) {
  if (nowNs - dueNs >= kWindowNs) return true;
  // The newest observation at least one window old.
  int from = -1;
  for (int k = 1; k <= size_; ++k) {
    int i = (next_ - k + kSlots) % kSlots;
    if (nowNs - times_[i] >= kWindowNs) {
      from = i;
      break;
    }
  }
  times_[next_] = nowNs;
  counts_[next_] = ticks;
  next_ = (next_ + 1) % kSlots;
  if (size_ < kSlots) ++size_;
  if (from < 0) return false;  // not a whole window seen yet
  // Rates too low for a window to hold enough deadlines (below 40 Hz) are
  // left to the overdue test.
  const int64_t deadlines = (nowNs - times_[from]) / interval_;
  if (deadlines < 10) return false;
  return (ticks - counts_[from]) * 4 < static_cast<uint64_t>(deadlines);
}

}  // namespace hotpath
