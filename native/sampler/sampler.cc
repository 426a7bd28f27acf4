#include "sampler/sampler.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "sampler/clock.h"
#include "sampler/json_text.h"
#include "sampler/process_state.h"
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
// How often the watching thread looks at the sampling thread.
constexpr int64_t kWatchEveryNs = 20 * kMsNs;

std::string metaJson(const ProfileData& data) {
  return "{\"pid\":" + std::to_string(data.target.pid) +
         ",\"pythonVersion\":" + jsonString(data.target.pythonVersion) +
         ",\"pythonBinary\":" + jsonString(data.target.pythonBinary) +
         ",\"startedAt\":" + jsonNumber(data.startedAtMs) +
         ",\"intervalUs\":" + std::to_string(data.intervalUs) + "}";
}

std::string endJson(const ProfileData& data) {
  const SamplerStats& s = data.stats;
  return "{\"ticks\":" + std::to_string(s.ticks) + ",\"samples\":" + std::to_string(s.samples) +
         ",\"lateTicks\":" + std::to_string(s.lateTicks) +
         ",\"droppedSamples\":" + std::to_string(s.droppedSamples) +
         ",\"meanTickCostUs\":" + jsonNumber(s.meanTickCostUs) +
         ",\"maxDepth\":" + std::to_string(s.maxDepth) +
         ",\"truncatedStacks\":" + std::to_string(s.truncatedStacks) +
         ",\"normalPrioritySinceUs\":" + jsonNumber(s.normalPrioritySinceUs) +
         ",\"durationUs\":" + jsonNumber(data.durationUs) + "}";
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

bool Sampler::sleepUntil(int64_t deadlineNs) {
  for (;;) {
    if (stopRequested_.load(std::memory_order_relaxed)) return false;
    int64_t now = monotonicNs();
    if (now >= deadlineNs) return true;
    sleepUntilNs(std::min(deadlineNs, now + kSleepSliceNs));
  }
}

void Sampler::fail(ErrorCode code, const std::string& message) {
  listener_->onStartFailed(code, message);
}

std::unique_ptr<PythonReader> Sampler::attach() {
  ReaderOptions readerOptions;
  readerOptions.maxDepth = options_.maxDepth;
  const int64_t deadline = monotonicNs() + options_.startTimeoutMs * kMsNs;
  const std::string waited = std::to_string(options_.startTimeoutMs) + " ms";
  std::unique_ptr<PythonReader> reader;
  std::string notPythonMessage;
  bool sawProcess = false;

  for (;;) {
    if (!reader) {
      try {
        reader = PythonReader::attach(pid_, readerOptions);
      } catch (const HotpathError& e) {
        if (e.code() == ErrorCode::NoProcess) {
          fail(ErrorCode::NoProcess, sawProcess
                                         ? "process " + std::to_string(pid_) +
                                               " exited before the Python interpreter started"
                                         : e.what());
          return nullptr;
        }
        // Not Python *yet*: a pyenv shim or a wrapper script is still exec'ing.
        if (e.code() != ErrorCode::NotPython) {
          fail(e.code(), e.what());
          return nullptr;
        }
        notPythonMessage = e.what();
      }
      sawProcess = true;
    }
    if (reader && reader->interpreterReady()) return reader;

    if (processGone(pid_)) {
      fail(ErrorCode::NoProcess,
           "process " + std::to_string(pid_) + " exited before the Python interpreter started");
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
      fail(ErrorCode::Timeout, "sampling was finished before the Python interpreter of process " +
                                   std::to_string(pid_) + " started; nothing was sampled");
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
    std::unique_ptr<PythonReader> reader = attach();
    if (reader) {
      data_.target.pythonVersion = reader->version();
      data_.target.pythonBinary = reader->binaryPath();
      data_.startedAtMs = wallClockMs();
      if (spill) {
        spill->meta(metaJson(data_));
        spill->flush();
      }
      sampleLoop(*reader, spill.get());
      if (spill) {
        spill->end(endJson(data_));
        spill->flush();
      }
    } else if (spill) {
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

// Sampling runs on its own thread at nice 19 (thread_priority.h: the
// program's threads always take a core first). With every core busy that
// thread gets little CPU, so this one, at normal priority, watches it: once
// StarvationWatch says it is starved, this thread takes the loop over
// (between two ticks, under the tick lock) and samples on time for the rest
// of the run, taking its share of a core back.
void Sampler::sampleLoop(PythonReader& reader, SpillWriter* spill) {
  SampleLoop loop(data_, reader, spill, *listener_, pid_, options_.intervalUs * 1000);
  enum Owner { kBackground, kForeground };
  std::mutex tickMutex;  // held for each tick; guards loop and owner
  Owner owner = kBackground;
  std::atomic<bool> over{false};              // set under overMutex, so the watch cannot miss it
  std::atomic<int64_t> due{loop.deadline()};  // the deadline the owner waits for
  std::mutex overMutex;
  std::condition_variable overChanged;

  auto ticks = [&](Owner me) {
    int64_t next;
    {
      std::lock_guard<std::mutex> lock(tickMutex);
      if (owner != me || over) return;
      next = loop.deadline();
    }
    for (;;) {
      due.store(next, std::memory_order_relaxed);
      bool finishRequested = !sleepUntil(next);
      std::lock_guard<std::mutex> lock(tickMutex);
      if (owner != me) return;  // handed over while asleep or waiting for the lock
      if (finishRequested || !loop.tick()) break;
      next = loop.deadline();
    }
    std::lock_guard<std::mutex> lock(overMutex);
    over = true;
    overChanged.notify_all();
  };

  // Ready once the sampling thread is what it will be (callers may look at
  // it), and before its first tick, so that listener calls never overlap.
  bool lowered = false;
  bool readySent = false;
  std::thread background([&] {
    nameThisThread("hotpath-sampler");
    setFineTimerSlack();
    lowerThisThreadsPriority();
    {
      std::unique_lock<std::mutex> lock(overMutex);
      lowered = true;
      overChanged.notify_all();
      overChanged.wait(lock, [&] { return readySent; });
    }
    ticks(kBackground);
  });
  {
    std::unique_lock<std::mutex> lock(overMutex);
    overChanged.wait(lock, [&] { return lowered; });
  }
  listener_->onReady(data_.target);
  {
    std::lock_guard<std::mutex> lock(overMutex);
    readySent = true;
  }
  overChanged.notify_all();

  StarvationWatch starvation(options_.intervalUs * 1000);
  std::unique_lock<std::mutex> watch(overMutex);
  while (!over) {
    overChanged.wait_for(watch, std::chrono::nanoseconds(kWatchEveryNs));
    if (over) break;
    const int64_t now = monotonicNs();
    if (!starvation.starved(now, loop.ticksTaken(), due.load(std::memory_order_relaxed))) continue;
    watch.unlock();
    {
      std::lock_guard<std::mutex> lock(tickMutex);
      if (!over) {
        owner = kForeground;
        loop.tookCoreBack(now);
      }
    }
    ticks(kForeground);
    watch.lock();
    break;
  }
  watch.unlock();
  background.join();
  loop.finish();
}

}  // namespace hotpath
