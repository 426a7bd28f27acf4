#include "sampler/process_tracker.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "os/memory_maps.h"
#include "os/own_threads.h"
#include "sampler/clock.h"

namespace hotpath {

namespace {

constexpr int64_t kMsNs = 1000000;
// How often the process table is looked through. A new process is found
// within this (plus the time to read its maps); a Python process needs tens of
// milliseconds to start its interpreter, so even 100 ms children are sampled.
constexpr int64_t kScanEveryNs = 5 * kMsNs;
// While an interpreter is starting, it is looked for this often (as for the
// first process).
constexpr int64_t kAttachEveryNs = 2 * kMsNs;

bool exited(const ProcessStat& stat) { return stat.state == 'Z' || stat.state == 'X'; }

// Between two images: the kernel shows no code or stack addresses while a
// process has no memory, when it is exiting and for a moment inside exec.
// Neither an end nor a new program yet: looked at again at the next scan.
bool betweenImages(const ProcessStat& stat) { return stat.startCode == 0 && stat.startStack == 0; }

}  // namespace

ProcessTracker::ProcessTracker(int rootPid, const SamplerOptions& options)
    : rootPid_(rootPid), options_(options) {}

ProcessTracker::~ProcessTracker() { stop(); }

void ProcessTracker::start(int64_t originNs) {
  originNs_ = originNs;
  rootExecutable_ = readExecutablePath(rootPid_);
  thread_ = std::thread([this] { run(); });
}

void ProcessTracker::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopRequested_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<ProcessEvent> ProcessTracker::takeEvents() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ProcessEvent> out;
  out.swap(events_);
  return out;
}

void ProcessTracker::post(uint32_t record, std::unique_ptr<PythonReader> reader, bool ended) {
  ProcessEvent event;
  event.process = record;
  event.record = records_[record];
  event.reader = std::move(reader);
  event.ended = ended;
  std::lock_guard<std::mutex> lock(mutex_);
  events_.push_back(std::move(event));
}

std::pair<ErrorCode, std::string> ProcessTracker::noPythonReason() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure_) return *failure_;
  std::string exe = rootExecutable_.empty() ? "" : " (" + rootExecutable_ + ")";
  const std::string what = "process " + std::to_string(rootPid_) + exe;
  if (!finished_.load(std::memory_order_acquire)) {
    return {ErrorCode::Timeout, "sampling was finished before any Python process started under " +
                                    what + "; nothing was sampled"};
  }
  // A process that ended before it could be looked at may have been Python.
  if (sawPythonFile_ || endedUnseen_ || records_.empty()) {
    return {ErrorCode::NoProcess,
            what + " and the processes it started exited before a Python interpreter started"};
  }
  const size_t others = records_.size() > 0 ? records_.size() - 1 : 0;
  return {ErrorCode::NotPython,
          "no Python process ran: " + what + " and the " + std::to_string(others) +
              " process(es) it started ended without loading a CPython interpreter. Check "
              "that the command starts Python (`hotpath run -- python app.py`)."};
}

void ProcessTracker::run() {
  nameThisThread("hotpath-procs");
  const int64_t now = monotonicNs();
  if (auto stat = readProcessStat(rootPid_); stat && !exited(*stat)) {
    follow(rootPid_, *stat, -1, now);
    // The first process may have started before the run's clock: it starts at 0.
    records_[0].startUs = 0;
  }
  for (;;) {
    const int64_t tickNs = monotonicNs();
    refresh(tickNs);
    if (live_.empty()) break;
    discover(tickNs);
    attachPending(tickNs);
    bool attaching = std::any_of(live_.begin(), live_.end(), [](const auto& entry) {
      return entry.second.state == State::Attaching;
    });
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::nanoseconds(attaching ? kAttachEveryNs : kScanEveryNs),
                   [this] { return stopRequested_; });
    if (stopRequested_) return;
  }
  finished_.store(true, std::memory_order_release);
}

void ProcessTracker::follow(int pid, const ProcessStat& stat, int32_t parentRecord, int64_t nowNs) {
  ProcessRecord record;
  record.pid = pid;
  record.ppid = stat.ppid;
  record.parent = parentRecord;
  record.argv = readProcessArgv(pid);
  record.startUs = std::max(0.0, sinceOriginUs(nowNs) - microsecondsSinceStart(stat.startTicks));
  auto index = static_cast<uint32_t>(records_.size());
  records_.push_back(std::move(record));
  groups_.insert(stat.pgid);
  if (records_.size() == 1) {
    firstStartTicks_ = stat.startTicks;
    firstSid_ = stat.sid;
  }
  Tracked tracked;
  tracked.record = index;
  tracked.stat = stat;
  tracked.deadlineNs = nowNs + options_.startTimeoutMs * kMsNs;
  live_[pid] = std::move(tracked);
  post(index);
}

void ProcessTracker::restart(Tracked& tracked, const ProcessStat& stat, int64_t nowNs) {
  ProcessRecord& old = records_[tracked.record];
  if (tracked.state == State::Sampled) {
    // Its samples belong to the program it ran: the new one gets a record of its own.
    old.endUs = sinceOriginUs(nowNs);
    old.execed = true;
    post(tracked.record, nullptr, true);
    ProcessRecord next;
    next.pid = old.pid;
    next.ppid = stat.ppid;
    next.parent = old.parent;
    next.startUs = sinceOriginUs(nowNs);
    tracked.record = static_cast<uint32_t>(records_.size());
    records_.push_back(std::move(next));
  }
  // Never sampled (a shell or the fork of a launcher on its way to exec): the
  // record is the program's from now on.
  ProcessRecord& record = records_[tracked.record];
  record.argv = readProcessArgv(stat.pid);
  record.note.clear();
  record.pythonVersion.clear();
  record.pythonBinary.clear();
  tracked.stat = stat;
  tracked.state = State::Attaching;
  tracked.reader.reset();
  tracked.deadlineNs = nowNs + options_.startTimeoutMs * kMsNs;
  post(tracked.record);
}

void ProcessTracker::refresh(int64_t nowNs) {
  for (auto it = live_.begin(); it != live_.end();) {
    Tracked& tracked = it->second;
    std::optional<ProcessStat> stat = readProcessStat(it->first);
    const bool gone = !stat || stat->startTicks != tracked.stat.startTicks || exited(*stat);
    if (gone) {
      if (tracked.state == State::Attaching && !tracked.reader) endedUnseen_ = true;
      ProcessRecord& record = records_[tracked.record];
      record.endUs = sinceOriginUs(nowNs);
      // Known while it is a zombie: until its parent reaps it.
      if (stat && stat->startTicks == tracked.stat.startTicks) record.waitStatus = stat->waitStatus;
      post(tracked.record, nullptr, true);
      it = live_.erase(it);
      continue;
    }
    if (!betweenImages(*stat) && !stat->sameImage(tracked.stat)) restart(tracked, *stat, nowNs);
    ++it;
  }
}

void ProcessTracker::discover(int64_t nowNs) {
  struct Candidate {
    ProcessStat stat;
    std::optional<Kinship> kinship;  // decided once, when its parent is not followed
    bool followed = false;
  };
  std::vector<Candidate> candidates;
  std::unordered_set<int> unrelated;
  for (int pid : listProcessIds()) {
    if (live_.count(pid)) continue;
    if (unrelated_.count(pid)) {
      unrelated.insert(pid);
      continue;
    }
    if (auto stat = readProcessStat(pid)) {
      if (!exited(*stat) && !betweenImages(*stat)) candidates.push_back({*stat});
    }
  }
  // A parent listed after its child (pids wrap around) is followed first.
  for (bool added = true; added;) {
    added = false;
    for (Candidate& candidate : candidates) {
      if (candidate.followed) continue;
      const ProcessStat& stat = candidate.stat;
      // A process that left the program's session (a daemon's setsid) is not the program's to
      // follow, even as a child of a followed one: a daemon would keep the run open for good.
      if (!records_.empty() && stat.sid != firstSid_) continue;
      auto parent = live_.find(stat.ppid);
      if (parent != live_.end()) {
        follow(stat.pid, stat, static_cast<int32_t>(parent->second.record), nowNs);
      } else {
        if (!candidate.kinship) candidate.kinship = kinship(stat);
        if (*candidate.kinship != Kinship::Orphan) continue;
        follow(stat.pid, stat, -1, nowNs);
      }
      candidate.followed = true;
      added = true;
    }
  }
  // One that has exited, is between images or whose parent is exiting is looked at again next
  // time.
  for (const Candidate& candidate : candidates) {
    if (!candidate.followed && candidate.kinship != Kinship::Undecided) {
      unrelated.insert(candidate.stat.pid);
    }
  }
  unrelated_.swap(unrelated);
}

ProcessTracker::Kinship ProcessTracker::kinship(const ProcessStat& stat) const {
  // Only a process of a followed process's group, started since the first one, can be one of
  // theirs whose parent exited before it was seen.
  if (!groups_.count(stat.pgid) || stat.startTicks < firstStartTicks_) return Kinship::Unrelated;
  // A group is no proof of kinship: a program the editor starts shares its group with the
  // editor's own processes, and one of those started later (a terminal host, a `ps`) has a
  // living parent in the same session. An orphan's parent is its reaper: init, or a subreaper
  // (`systemd --user`, a container's init) outside the program's session, as a process keeps
  // its session when it is reparented.
  if (stat.ppid == 1) return Kinship::Orphan;
  std::optional<ProcessStat> parent = readProcessStat(stat.ppid);
  // A parent that is exiting (its memory already gone, not yet a zombie) still has its children
  // until it is one; then they are reparented. Looked at again at the next scan.
  if (!parent || exited(*parent) || betweenImages(*parent)) return Kinship::Undecided;
  return parent->sid != stat.sid ? Kinship::Orphan : Kinship::Unrelated;
}

void ProcessTracker::attachPending(int64_t nowNs) {
  ReaderOptions readerOptions;
  readerOptions.maxDepth = options_.maxDepth;
  readerOptions.asyncTasks = options_.asyncTasks;
  const std::string waited = std::to_string(options_.startTimeoutMs) + " ms";
  for (auto& [pid, tracked] : live_) {
    if (tracked.state != State::Attaching) continue;
    ProcessRecord& record = records_[tracked.record];
    auto giveUp = [&](ErrorCode code, const std::string& why) {
      tracked.state = State::Failed;
      tracked.reader.reset();
      record.note = why;
      post(tracked.record);
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_ && code != ErrorCode::NotPython) failure_ = {code, why};
    };
    try {
      if (!tracked.reader) tracked.reader = PythonReader::attach(pid, readerOptions);
      sawPythonFile_ = true;
      if (tracked.reader->interpreterReady()) {
        record.pythonVersion = tracked.reader->version();
        record.pythonBinary = tracked.reader->binaryPath();
        tracked.state = State::Sampled;
        sampledAny_ = true;
        post(tracked.record, std::move(tracked.reader));
      } else if (nowNs >= tracked.deadlineNs) {
        giveUp(ErrorCode::Timeout, "the Python " + tracked.reader->version() +
                                       " interpreter did not finish starting within " + waited);
      }
    } catch (const HotpathError& e) {
      if (e.code() == ErrorCode::NoProcess) continue;  // refresh() records the end
      if (e.code() != ErrorCode::NotPython) {
        giveUp(e.code(), e.what());
        continue;
      }
      std::optional<bool> python = PythonReader::mapsPythonFile(pid);
      if (python == true) sawPythonFile_ = true;
      if (python == false) {
        // Another program (a shell, make): followed for its children, and
        // looked at again if it execs.
        tracked.state = State::NotPython;
        std::string exe = readExecutablePath(pid);
        record.note = "not CPython" + (exe.empty() ? std::string() : " (" + exe + ")");
        post(tracked.record);
      } else if (nowNs >= tracked.deadlineNs) {
        giveUp(ErrorCode::NotPython,
               std::string(e.what()) + " (still not Python after " + waited + ")");
      }
    }
  }
}

}  // namespace hotpath
