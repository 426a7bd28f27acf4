#include "sampler/sampler.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <vector>

#include "os/memory_maps.h"
#include "os/own_threads.h"
#include "os/process_state.h"
#include "os/process_tree.h"
#include "sampler/clock.h"
#include "sampler/json_text.h"
#include "sampler/process_tracker.h"
#include "sampler/sample_loop.h"
#include "sampler/spill_writer.h"
#include "sampler/thread_priority.h"

namespace hotpath {

namespace {

constexpr int64_t kMsNs = 1000000;
// How often the start phase looks for the interpreter: short-lived scripts
// must be caught, and one attempt (reading /proc/PID/maps) is cheap.
constexpr int64_t kAttachPollNs = 2 * kMsNs;
// Longest single sleep, so a finish request is seen quickly even at 1 Hz.
constexpr int64_t kSleepSliceNs = 50 * kMsNs;
// How often the control thread looks at the lowered sampling thread.
constexpr int64_t kWatchEveryNs = 20 * kMsNs;

std::string metaJson(const ProfileData& data) {
  return "{\"pid\":" + std::to_string(data.target.pid) +
         ",\"pythonVersion\":" + jsonString(data.target.pythonVersion) +
         ",\"pythonBinary\":" + jsonString(data.target.pythonBinary) +
         ",\"startedAt\":" + jsonNumber(data.startedAtMs) +
         ",\"intervalUs\":" + std::to_string(data.intervalUs) +
         // The samples' flags byte says which thread held the GIL (older spills: on-CPU only).
         ",\"gil\":true}";
}

// {"loop":3,"cutShort":1}: the reasons with a count, in a fixed order.
std::string dropsJson(const DropCounts& drops) {
  std::string out = "{";
  for (size_t i = 0; i < drops.size(); ++i) {
    if (drops[i] == 0) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(dropReasonName(static_cast<DropReason>(i))) +
           "\":" + std::to_string(drops[i]);
  }
  return out + "}";
}

std::string endJson(const ProfileData& data) {
  const SamplerStats& s = data.stats;
  return "{\"ticks\":" + std::to_string(s.ticks) + ",\"samples\":" + std::to_string(s.samples) +
         ",\"lateTicks\":" + std::to_string(s.lateTicks) +
         ",\"droppedSamples\":" + std::to_string(s.droppedSamples) +
         ",\"meanTickCostUs\":" + jsonNumber(s.meanTickCostUs) +
         ",\"maxDepth\":" + std::to_string(s.maxDepth) +
         ",\"truncatedStacks\":" + std::to_string(s.truncatedStacks) +
         ",\"returnedFramesCut\":" + std::to_string(s.returnedFramesCut) +
         ",\"droppedByReason\":" + dropsJson(s.droppedByReason) +
         ",\"normalPrioritySinceUs\":" + jsonNumber(s.normalPrioritySinceUs) +
         ",\"durationUs\":" + jsonNumber(data.durationUs) + "}";
}

std::string notPythonProcessMessage(int pid) {
  std::string exe = readExecutablePath(pid);
  if (!exe.empty()) exe = " (" + exe + ")";
  return "process " + std::to_string(pid) + exe +
         " is not a Python program: no CPython interpreter (libpython3.X or python3.X) is "
         "loaded in it. Attach to the process that runs Python (for a launcher or shell, its "
         "Python child).";
}

std::string endedNotPythonMessage(int pid, const std::string& executable) {
  std::string exe = executable.empty() ? "" : " (" + executable + ")";
  return "no Python process was found: process " + std::to_string(pid) + exe +
         " ended without loading a CPython interpreter. Hotpath samples the process it starts "
         "or attaches to, not that process's children: run the Python program itself "
         "(`hotpath run -- python app.py`), or attach to it.";
}

}  // namespace

Sampler::Sampler(int pid, const SamplerOptions& options, std::shared_ptr<SamplerListener> listener)
    : pid_(pid), options_(options), listener_(std::move(listener)) {
  validateOptions(options_);
  if (pid <= 0) {
    throw HotpathError(ErrorCode::BadArgument,
                       "pid must be a positive process id, got " + std::to_string(pid));
  }
  data_.intervalUs = options_.intervalUs;
  data_.target.pid = pid;
  thread_ = std::thread([this] { run(); });
}

Sampler::~Sampler() {
  requestFinish();
  join();
}

void Sampler::requestFinish() { stopRequested_.store(true, std::memory_order_relaxed); }

void Sampler::join() {
  std::lock_guard<std::mutex> lock(joinMutex_);
  if (thread_.joinable()) thread_.join();
}

template <typename StillWanted>
bool Sampler::sleepUntil(int64_t deadlineNs, const StillWanted& stillWanted) {
  for (;;) {
    if (stopRequested_.load(std::memory_order_relaxed)) return false;
    int64_t now = monotonicNs();
    if (now >= deadlineNs || !stillWanted()) return true;
    sleepUntilNs(std::min(deadlineNs, now + kSleepSliceNs));
  }
}

bool Sampler::sleepUntil(int64_t deadlineNs) {
  return sleepUntil(deadlineNs, [] { return true; });
}

void Sampler::fail(ErrorCode code, const std::string& message) {
  listener_->onStartFailed(code, message);
}

std::unique_ptr<PythonReader> Sampler::attach() {
  ReaderOptions readerOptions;
  readerOptions.maxDepth = options_.maxDepth;
  readerOptions.asyncTasks = options_.asyncTasks;
  const int64_t deadline = monotonicNs() + options_.startTimeoutMs * kMsNs;
  const std::string waited = std::to_string(options_.startTimeoutMs) + " ms";
  std::unique_ptr<PythonReader> reader;
  std::string notPythonMessage;
  bool sawProcess = false;
  // An interpreter, or a file named like one, was seen in the process; or the process was seen
  // alive with neither. One that ends seen only without was not Python at all (a child of it may
  // have been: children are not followed). One first seen after its end (a zombie maps nothing)
  // could have been anything.
  bool sawPython = false;
  bool sawOther = false;
  std::string executable;  // the last one seen while it was not Python, for the message
  auto failEnded = [&]() {
    if (sawOther && !sawPython) {
      fail(ErrorCode::NotPython, endedNotPythonMessage(pid_, executable));
    } else {
      fail(ErrorCode::NoProcess,
           "process " + std::to_string(pid_) + " exited before the Python interpreter started");
    }
  };

  for (;;) {
    if (!reader) {
      try {
        reader = PythonReader::attach(pid_, readerOptions);
        sawPython = true;
      } catch (const HotpathError& e) {
        if (e.code() == ErrorCode::NoProcess) {
          if (sawProcess) {
            failEnded();
          } else {
            fail(ErrorCode::NoProcess, e.what());
          }
          return nullptr;
        }
        // Not Python *yet*: a pyenv shim or a wrapper script is still exec'ing.
        if (e.code() != ErrorCode::NotPython) {
          fail(e.code(), e.what());
          return nullptr;
        }
        notPythonMessage = e.what();
        std::optional<bool> mapsPython;
        if (!sawPython) {
          mapsPython = PythonReader::mapsPythonFile(pid_);
          sawPython = mapsPython == true;
          sawOther = sawOther || mapsPython == false;
          std::string now = readExecutablePath(pid_);
          if (!now.empty()) executable = now;
        }
        // A process attached to runs what it runs: unless it is in the middle of loading an
        // interpreter, "not Python now" is final (when it has just exited, the exit check says so).
        if (options_.existingProcess && mapsPython == false) {
          fail(ErrorCode::NotPython, notPythonProcessMessage(pid_));
          return nullptr;
        }
      }
      sawProcess = true;
    }
    if (reader && reader->interpreterReady()) return reader;

    if (processGone(pid_)) {
      failEnded();
      return nullptr;
    }
    if (monotonicNs() >= deadline) {
      if (!reader) {
        fail(ErrorCode::NotPython, notPythonMessage + " (still not Python after " + waited + ")");
      } else {
        fail(ErrorCode::Timeout, "the Python " + reader->version() + " interpreter of process " +
                                     std::to_string(pid_) + " did not finish starting within " +
                                     waited + "; raise the start timeout if it starts slowly");
      }
      return nullptr;
    }
    if (!sleepUntil(monotonicNs() + kAttachPollNs)) {
      // A spawned program's run is finished once it has exited: say what it was.
      if (sawProcess && processGone(pid_)) {
        failEnded();
      } else {
        fail(ErrorCode::Timeout, "sampling was finished before the Python interpreter of process " +
                                     std::to_string(pid_) + " started; nothing was sampled");
      }
      return nullptr;
    }
  }
}

void Sampler::run() {
  nameThisThread("hotpath-control");
  setFineTimerSlack();
  std::unique_ptr<SpillWriter> spill;
  try {
    if (!options_.spillPath.empty()) spill = std::make_unique<SpillWriter>(options_.spillPath);
    std::unique_ptr<ProcessTracker> tracker;
    std::unique_ptr<PythonReader> reader;
    if (options_.followChildren) {
      tracker = std::make_unique<ProcessTracker>(pid_, options_);
    } else {
      reader = attach();
    }
    bool sampled = false;
    if (reader || tracker) {
      if (reader) {
        data_.target.pythonVersion = reader->version();
        data_.target.pythonBinary = reader->binaryPath();
      }
      data_.startedAtMs = wallClockMs();
      if (spill) {
        spill->meta(metaJson(data_));
        spill->flush();
      }
      sampled = sampleLoop(std::move(reader), tracker.get(), spill.get());
      if (spill && sampled) {
        spill->end(endJson(data_));
        spill->flush();
      }
      if (!sampled && tracker) {
        auto [code, message] = tracker->noPythonReason();
        fail(code, message);
      }
    }
    if (spill && !sampled) {
      // Nothing was sampled: leave no file that would be offered as a
      // recovered profile.
      spill.reset();
      std::remove(options_.spillPath.c_str());
    }
  } catch (const HotpathError& e) {
    fail(e.code(), e.what());
  } catch (const std::exception& e) {
    fail(ErrorCode::Internal, std::string("the sampler failed unexpectedly: ") + e.what());
  }
  listener_->onStopped();
  stopped_.store(true, std::memory_order_release);
}

// Who samples. A multi-threaded program is sampled from a thread at nice 19
// (thread_priority.h): its threads hand the GIL to each other through the
// scheduler, and a sampler at normal priority on the other core delays those
// hand-overs. A single-threaded program does not feel the sampler's CPU at
// all, while a sampler at nice 19 loses ticks whenever anything else on the
// machine runs, so this thread, at normal priority, samples it. The loop
// moves between the two threads between two ticks, under the tick lock:
// - this thread hands it over once the program has two or more threads;
// - it takes it back when the program is down to one, or when
//   StarvationWatch finds the nice-19 thread starved (every core busy), and
//   then keeps it for the rest of the run (stats.normalPrioritySinceUs).
bool Sampler::sampleLoop(std::unique_ptr<PythonReader> reader, ProcessTracker* tracker,
                         SpillWriter* spill) {
  SampleLoop loop(data_, spill, *listener_, options_.intervalUs * 1000);
  if (reader) {
    ProcessRecord root;
    root.pid = pid_;
    root.argv = readProcessArgv(pid_);
    if (auto stat = readProcessStat(pid_)) root.ppid = stat->ppid;
    root.pythonVersion = reader->version();
    root.pythonBinary = reader->binaryPath();
    data_.processes.push_back(std::move(root));
    loop.addProcess(0, std::move(reader));
  }
  enum Owner { kControl, kLowered };
  // Lock order: tickMutex, then stateMutex. `owner` and `over` change under
  // both, so whoever holds either sees them settled.
  std::mutex tickMutex;   // held for each tick; guards loop and failure
  std::mutex stateMutex;  // for waiting on `changed`
  std::condition_variable changed;
  std::atomic<Owner> owner{kControl};
  std::atomic<bool> over{false};
  std::atomic<int64_t> due{loop.deadline()};  // the deadline the owner waits for
  std::exception_ptr failure;                 // from a tick; rethrown here at the end
  bool mayLower = true;                       // false once the lowered thread starved

  auto set = [&](Owner to, bool end) {  // with tickMutex held
    std::lock_guard<std::mutex> lock(stateMutex);
    owner = to;
    if (end) over = true;
    changed.notify_all();
  };
  // Ticks while `me` owns the loop. `handOver`, asked after every tick (a
  // load and a compare), may give the loop away.
  auto ticks = [&](Owner me, const auto& handOver) {
    int64_t next;
    {
      std::lock_guard<std::mutex> lock(tickMutex);
      if (owner != me || over) return;
      next = loop.deadline();
    }
    for (;;) {
      due.store(next, std::memory_order_relaxed);
      // A sleeper whose loop was taken away wakes within a slice, not at a
      // deadline that may be a second away (at 1 Hz) and hold up the end.
      bool finishRequested = !sleepUntil(next, [&] { return owner == me && !over; });
      std::lock_guard<std::mutex> lock(tickMutex);
      if (owner != me || over) return;  // taken over while asleep or waiting for the lock
      if (!finishRequested && loop.deadline() != next) {
        // Taken away and given back while asleep, and the other thread
        // sampled this deadline meanwhile: wait for the next one.
        next = loop.deadline();
        continue;
      }
      bool goOn = false;
      if (!finishRequested) {
        try {
          goOn = loop.tick();
        } catch (...) {
          failure = std::current_exception();
        }
      }
      if (!goOn) {
        set(me, true);
        return;
      }
      next = loop.deadline();
      if (handOver()) return;
    }
  };
  const auto keepIt = [] { return false; };

  // Ready once the lowered thread is what it will be (callers may look at
  // it), and before the first tick, so that listener calls never overlap.
  bool lowered = false;
  bool started = false;
  std::thread background([&] {
    nameThisThread("hotpath-sampler");
    setFineTimerSlack();
    lowerThisThreadsPriority();
    std::unique_lock<std::mutex> lock(stateMutex);
    lowered = true;
    changed.notify_all();
    for (;;) {
      changed.wait(lock, [&] { return over || (started && owner == kLowered); });
      if (over) return;
      lock.unlock();
      ticks(kLowered, keepIt);
      lock.lock();
    }
  });
  // Whatever ends the loop, the background thread is told and joined
  // before this frame's locals, which it uses, go away.
  try {
    {
      std::unique_lock<std::mutex> lock(stateMutex);
      changed.wait(lock, [&] { return lowered; });
    }
    if (!tracker) listener_->onReady(data_.target);
    loop.begin();  // the first deadline is now
    if (tracker) {
      loop.follow(tracker);
      tracker->start(loop.startNs());
    }
    due.store(loop.deadline(), std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(stateMutex);
      started = true;
    }

    StarvationWatch starvation(options_.intervalUs * 1000);
    auto lowerWhenThreaded = [&] {  // with tickMutex held
      if (!mayLower || loop.threadsLastTick() < 2) return false;
      starvation.reset();  // a fresh window for the new owner
      set(kLowered, false);
      return true;
    };
    while (!over) {
      if (owner == kControl) {
        ticks(kControl, lowerWhenThreaded);
        continue;
      }
      {
        std::unique_lock<std::mutex> lock(stateMutex);
        changed.wait_for(lock, std::chrono::nanoseconds(kWatchEveryNs),
                         [&] { return over || owner != kLowered; });
      }
      if (over || owner != kLowered) continue;
      const int64_t now = monotonicNs();
      const bool starved =
          starvation.starved(now, loop.ticksTaken(), cpuTimeOfThread(background.native_handle()),
                             due.load(std::memory_order_relaxed));
      if (!starved && loop.threadsLastTick() >= 2) continue;
      std::lock_guard<std::mutex> lock(tickMutex);
      if (over || owner != kLowered) continue;
      if (starved) {
        mayLower = false;
        loop.tookCoreBack(now);
      }
      set(kControl, false);
    }
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(tickMutex);
      set(owner, true);
    }
    background.join();
    if (tracker) tracker->stop();
    throw;
  }
  background.join();
  if (tracker) tracker->stop();
  loop.finish();
  if (failure) std::rethrow_exception(failure);
  return loop.sampledAny();
}

}  // namespace hotpath
