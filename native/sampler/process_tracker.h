// Follows the processes a profiled program starts: on a thread of its own, it
// looks through the process table every few milliseconds for new descendants
// of the processes it follows (at any depth, through processes that are not
// Python), notices execs (the same pid running a new program) and exits, and
// attaches a PythonReader to each process once its interpreter is up. The
// sampling loop takes what it finds as events, between two ticks; nobody is
// ever stopped or signalled.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "os/process_tree.h"
#include "python/python_reader.h"
#include "sampler/profile_data.h"
#include "sampler/sampler_options.h"

namespace hotpath {

// A process record, new or changed (Process::record is the whole of it, to
// replace the loop's copy), with the reader to sample it with from now on, or
// the news that its reader, if any, reads nothing any more.
struct ProcessEvent {
  uint32_t process = 0;  // index into ProfileData::processes
  ProcessRecord record;
  std::unique_ptr<PythonReader> reader;
  bool ended = false;  // exited, or exec'd another program
};

class ProcessTracker {
 public:
  ProcessTracker(int rootPid, const SamplerOptions& options);
  ~ProcessTracker();
  ProcessTracker(const ProcessTracker&) = delete;
  ProcessTracker& operator=(const ProcessTracker&) = delete;

  // Starts the thread; process times count from `originNs` (CLOCK_MONOTONIC).
  void start(int64_t originNs);
  // Asks the thread to stop and joins it.
  void stop();

  // The events since the last call, in order.
  std::vector<ProcessEvent> takeEvents();
  // True once every process followed has ended: read it before takeEvents(),
  // and the events taken then are the last.
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  // Why no process could be sampled, for when none was (after stop()).
  std::pair<ErrorCode, std::string> noPythonReason() const;

 private:
  enum class State { Attaching, Sampled, NotPython, Failed };
  struct Tracked {
    uint32_t record = 0;
    ProcessStat stat;
    State state = State::Attaching;
    std::unique_ptr<PythonReader> reader;  // found, interpreter not up yet
    int64_t deadlineNs = 0;                // gives up attaching then
  };

  void run();
  // Rereads each followed process: ended, exec'd, or as it was.
  void refresh(int64_t nowNs);
  // Adds the processes whose parent is followed.
  void discover(int64_t nowNs);
  // Whether `stat`, whose parent is not followed, is an orphan of a followed process.
  enum class Kinship { Orphan, Unrelated, Undecided };
  Kinship kinship(const ProcessStat& stat) const;
  void attachPending(int64_t nowNs);
  void follow(int pid, const ProcessStat& stat, int32_t parentRecord, int64_t nowNs);
  // Starts `tracked` over for the program it now runs.
  void restart(Tracked& tracked, const ProcessStat& stat, int64_t nowNs);
  void post(uint32_t record, std::unique_ptr<PythonReader> reader = nullptr, bool ended = false);
  double sinceOriginUs(int64_t nowNs) const { return static_cast<double>(nowNs - originNs_) / 1e3; }

  const int rootPid_;
  const SamplerOptions options_;
  int64_t originNs_ = 0;
  std::vector<ProcessRecord> records_;
  std::unordered_map<int, Tracked> live_;  // by pid
  std::unordered_set<int> unrelated_;      // pids seen that are not followed
  // Process groups of the processes followed, and when the first one started: a process of one
  // of these groups that started since, whose parent is not followed but its reaper (see
  // kinship()), was orphaned (its parent exited before it was found) and is followed too.
  std::unordered_set<int> groups_;
  uint64_t firstStartTicks_ = 0;
  int firstSid_ = 0;  // the session of the first process followed: only its processes are followed
  bool sawPythonFile_ = false;
  bool endedUnseen_ = false;  // a process ended before it was known to be Python or not
  bool sampledAny_ = false;
  std::optional<std::pair<ErrorCode, std::string>> failure_;  // the first reader failure
  std::string rootExecutable_;

  mutable std::mutex mutex_;  // guards events_ and the fields read by noPythonReason
  std::condition_variable wake_;
  std::vector<ProcessEvent> events_;
  bool stopRequested_ = false;
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

}  // namespace hotpath
