#include <errno.h>
#include <signal.h>

#include <atomic>

#include "os/signal_origin.h"

namespace hotpath {

namespace {

constexpr int kMaxSignal = 65;

struct Recorded {
  std::atomic<int> count{0};
  std::atomic<int> pid{0};
  std::atomic<int> code{0};
  struct sigaction previous {};
};

Recorded recorded[kMaxSignal];

void recordThenForward(int signum, siginfo_t* info, void* context) {
  const int savedErrno = errno;
  Recorded& r = recorded[signum];
  r.pid.store(info != nullptr ? info->si_pid : 0, std::memory_order_relaxed);
  r.code.store(info != nullptr ? info->si_code : 0, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_release);
  errno = savedErrno;
  const struct sigaction& previous = r.previous;
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction != nullptr) previous.sa_sigaction(signum, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN &&
             previous.sa_handler != nullptr) {
    previous.sa_handler(signum);
  }
}

}  // namespace

bool recordSignalOrigin(int signum) {
  if (signum <= 0 || signum >= kMaxSignal) return false;
  Recorded& r = recorded[signum];
  struct sigaction current {};
  if (sigaction(signum, nullptr, &current) != 0) return false;
  if (current.sa_flags & SA_SIGINFO) {
    if (current.sa_sigaction == recordThenForward) return true;  // already in front
    if (current.sa_sigaction == nullptr) return false;
  } else if (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN) {
    return false;  // nothing to keep: recording would swallow the default action
  }
  r.previous = current;
  struct sigaction ours = current;
  ours.sa_flags = current.sa_flags | SA_SIGINFO;
  ours.sa_sigaction = recordThenForward;
  return sigaction(signum, &ours, nullptr) == 0;
}

SignalOrigin lastSignalOrigin(int signum) {
  SignalOrigin origin;
  if (signum <= 0 || signum >= kMaxSignal) return origin;
  const Recorded& r = recorded[signum];
  origin.count = r.count.load(std::memory_order_acquire);
  origin.pid = r.pid.load(std::memory_order_relaxed);
  origin.code = r.code.load(std::memory_order_relaxed);
  return origin;
}

}  // namespace hotpath
