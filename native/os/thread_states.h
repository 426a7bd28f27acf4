// Per-thread scheduler state of the target (running or waiting), read often,
// so the backend keeps its files open between samples.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace hotpath {

class ThreadStates {
 public:
  virtual ~ThreadStates() = default;

  // The kernel's one-letter state of thread `tid` ('R' running, 'S' sleeping,
  // 'D' disk wait, …), or 0 when it cannot be read (the thread has exited).
  virtual char state(int32_t tid) = 0;

  // Thread `tid` is still there but its state is not needed this sample:
  // whatever is kept open for it stays open.
  virtual void keep(int32_t tid) = 0;

  // The OS thread name (what pthread_setname_np / prctl set), "" when unknown.
  virtual std::string osName(int32_t tid) = 0;

  // Closes the files of threads neither read nor kept since the last call (call once per
  // sample after the last state(); threads come and go).
  virtual void endSample() = 0;
};

std::unique_ptr<ThreadStates> openThreadStates(int pid);

// The OS name of thread `tid` of `pid`, asked once (ThreadStates::osName without
// keeping anything open), "" when unknown.
std::string osThreadName(int pid, int32_t tid);

}  // namespace hotpath
