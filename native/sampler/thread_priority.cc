#include "sampler/thread_priority.h"

#include <pthread.h>
#include <time.h>

#include <algorithm>

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

int64_t cpuTimeOfThread(pthread_t thread) {
#ifdef __linux__
  clockid_t clock;
  timespec ts;
  if (pthread_getcpuclockid(thread, &clock) != 0 || clock_gettime(clock, &ts) != 0) return -1;
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
#else
  (void)thread;
  return -1;
#endif
}

bool StarvationWatch::starved(int64_t nowNs, uint64_t ticks, int64_t cpuNs, int64_t dueNs) {
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
  cpu_[next_] = cpuNs;
  next_ = (next_ + 1) % kSlots;
  if (size_ < kSlots) ++size_;
  if (from < 0) return false;  // not a whole window seen yet
  // Rates too low for a window to hold enough deadlines (below 40 Hz) are
  // left to the overdue test.
  const uint64_t taken = ticks - counts_[from];
  int64_t pace = interval_;
  if (cpuNs >= 0 && cpu_[from] >= 0 && taken > 0) {
    pace = std::max(pace, (cpuNs - cpu_[from]) / static_cast<int64_t>(taken));
  }
  const int64_t deadlines = (nowNs - times_[from]) / pace;
  if (deadlines < 10) return false;
  return taken * 4 < static_cast<uint64_t>(deadlines);
}

}  // namespace hotpath
