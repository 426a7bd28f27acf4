// Development tool: attach to a running CPython process, print every thread's
// stack, and measure what a sample costs. Build line in native/tools/README.md.
//
//   dump_stacks PID [--samples N] [--json] [--quiet] [--max-depth D] [--wait]
//
// --wait keeps retrying (every 1 ms) while the process has no interpreter yet
// (a shim or wrapper that will exec Python), for up to 10 s, as the sampler
// does. The summary says how long the successful attach took and when the
// first sample was taken, counted from the start of that attach.
// Takes N samples back to back (default 1), prints the last one, then the mean
// time per sample and the reader's counters (system calls, prefetch hits, …).
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "python/cpython_reader.h"
#include "python/python_reader.h"

namespace {

double nowUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

void sleepUntilUs(double deadlineUs) {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(deadlineUs / 1e6);
  ts.tv_nsec = static_cast<long>((deadlineUs - static_cast<double>(ts.tv_sec) * 1e6) * 1e3);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

// Bytes this process has read through read()-like calls (/proc/self/io
// rchar): the files attach reads, as opposed to the target's memory.
long long bytesReadFromFiles() {
  FILE* f = fopen("/proc/self/io", "r");
  if (!f) return -1;
  long long rchar = -1;
  if (fscanf(f, "rchar: %lld", &rchar) != 1) rchar = -1;
  fclose(f);
  return rchar;
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

void printText(hotpath::PythonReader& reader, const std::vector<hotpath::ThreadStack>& threads) {
  for (const auto& t : threads) {
    std::string name = reader.threadName(t.ident, t.tid);
    printf("Thread %d (ident 0x%llx)%s%s%s%s%s\n", t.tid, static_cast<unsigned long long>(t.ident),
           name.empty() ? "" : (" \"" + name + "\"").c_str(), t.isMain ? " main" : "",
           t.onCpu ? " on-cpu" : " idle", t.holdsGil ? " gil" : "",
           t.truncated ? " truncated" : "");
    for (const auto& f : t.frames) {
      const hotpath::CodeInfo& c = reader.code(f.codeId);
      printf("    %s (%s:%d)\n", c.name.c_str(), c.filename.c_str(), f.line);
    }
  }
}

void printJson(hotpath::PythonReader& reader, const std::vector<hotpath::ThreadStack>& threads) {
  printf("[");
  for (size_t i = 0; i < threads.size(); ++i) {
    const auto& t = threads[i];
    printf(
        "%s{\"tid\":%d,\"ident\":%llu,\"main\":%s,\"onCpu\":%s,\"gil\":%s,\"truncated\":%s,"
        "\"name\":%s,\"frames\":[",
        i ? "," : "", t.tid, static_cast<unsigned long long>(t.ident), t.isMain ? "true" : "false",
        t.onCpu ? "true" : "false", t.holdsGil ? "true" : "false", t.truncated ? "true" : "false",
        jsonString(reader.threadName(t.ident, t.tid)).c_str());
    for (size_t j = 0; j < t.frames.size(); ++j) {
      const hotpath::CodeInfo& c = reader.code(t.frames[j].codeId);
      printf("%s[%s,%s,%d,%d]", j ? "," : "", jsonString(c.filename).c_str(),
             jsonString(c.name).c_str(), t.frames[j].line, c.firstLine);
    }
    printf("]}");
  }
  printf("]\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(
        stderr,
        "Usage: dump_stacks PID [--samples N] [--interval US] [--json] [--quiet] [--max-depth D] "
        "[--wait]\n");
    return 2;
  }
  int pid = atoi(argv[1]);
  int samples = 1;
  long intervalUs = 0;  // 0: back to back
  bool json = false, quiet = false, wait = false;
  hotpath::ReaderOptions options;
  for (int i = 2; i < argc; ++i) {
    if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
      samples = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--interval") && i + 1 < argc) {
      intervalUs = atol(argv[++i]);
    } else if (!strcmp(argv[i], "--max-depth") && i + 1 < argc) {
      options.maxDepth = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--json")) {
      json = true;
    } else if (!strcmp(argv[i], "--wait")) {
      wait = true;
    } else if (!strcmp(argv[i], "--quiet")) {
      quiet = true;
    } else {
      fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  try {
    std::unique_ptr<hotpath::PythonReader> reader;
    double attachStart = 0, attachUs = 0;
    long long attachFileBytes = 0;
    for (int attempt = 0; !reader; ++attempt) {
      try {
        attachStart = nowUs();
        long long rcharBefore = bytesReadFromFiles();
        reader = hotpath::PythonReader::attach(pid, options);
        attachUs = nowUs() - attachStart;
        attachFileBytes = bytesReadFromFiles() - rcharBefore;
      } catch (const hotpath::HotpathError& e) {
        if (!wait || e.code() != hotpath::ErrorCode::NotPython || attempt >= 10000) throw;
        usleep(1000);
      }
    }
    for (int i = 0; i < 5000 && !reader->interpreterReady(); ++i) usleep(1000);
    std::vector<hotpath::ThreadStack> threads;
    uint32_t dropped = 0;
    uint64_t totalDropped = 0, notOk = 0;
    // The first sample fills the caches; it is timed separately.
    double t0 = nowUs();
    reader->sample(threads, dropped);
    double firstUs = nowUs() - t0;
    double firstSampleMs = (nowUs() - attachStart) / 1000;
    auto* impl = dynamic_cast<hotpath::CPythonReader*>(reader.get());
    hotpath::ReaderStats before = impl ? impl->stats() : hotpath::ReaderStats{};
    size_t frames = 0;
    std::vector<double> costs;
    costs.reserve(static_cast<size_t>(samples));
    double start = nowUs();
    for (int i = 0; i < samples; ++i) {
      // Sampling on a grid, as the sampler does: the target moves on between
      // samples and caches go cold, unlike back-to-back samples.
      if (intervalUs > 0) sleepUntilUs(start + static_cast<double>(i) * intervalUs);
      double before = nowUs();
      hotpath::SampleStatus s = reader->sample(threads, dropped);
      costs.push_back(nowUs() - before);
      totalDropped += dropped;
      if (s != hotpath::SampleStatus::Ok) ++notOk;
      if (s == hotpath::SampleStatus::TargetGone) break;
      for (const auto& t : threads) frames += t.frames.size();
    }
    double meanUs = 0;
    for (double c : costs) meanUs += c;
    meanUs = costs.empty() ? 0 : meanUs / static_cast<double>(costs.size());
    // The median resists the preemptions a busy machine adds to some samples.
    std::sort(costs.begin(), costs.end());
    double medianUs = costs.empty() ? 0 : costs[costs.size() / 2];
    double p90Us = costs.empty() ? 0 : costs[costs.size() * 9 / 10];
    if (!quiet) (json ? printJson : printText)(*reader, threads);
    if (!json) {
      hotpath::ReaderStats after = impl ? impl->stats() : hotpath::ReaderStats{};
      fprintf(
          stderr,
          "Python %s (%s): %d samples, mean %.1f us/sample, median %.1f, p90 %.1f (first "
          "%.1f us), %.1f frames/sample, %.2f syscalls/sample, %.2f state reads/sample, prefetch "
          "hits %llu misses "
          "%llu, code misses %llu, retries %llu, returned frames cut %llu, calls joined "
          "%llu, tops as walked %llu, pooled frames %llu, dropped threads %llu, not-ok samples "
          "%llu; "
          "attach %.2f ms (%lld bytes read from files), first sample %.2f ms after attach "
          "began\n",
          reader->version().c_str(), reader->binaryPath().c_str(), samples, meanUs, medianUs, p90Us,
          firstUs, static_cast<double>(frames) / samples,
          static_cast<double>(after.syscalls - before.syscalls) / samples,
          static_cast<double>(after.stateReads - before.stateReads) / samples,
          static_cast<unsigned long long>(after.prefetchHits - before.prefetchHits),
          static_cast<unsigned long long>(after.prefetchMisses - before.prefetchMisses),
          static_cast<unsigned long long>(after.codeMisses - before.codeMisses),
          static_cast<unsigned long long>(after.retries - before.retries),
          static_cast<unsigned long long>(after.returnedCut - before.returnedCut),
          static_cast<unsigned long long>(after.callsJoined - before.callsJoined),
          static_cast<unsigned long long>(after.topsAsWalked - before.topsAsWalked),
          static_cast<unsigned long long>(after.pooledFrames),
          static_cast<unsigned long long>(totalDropped), static_cast<unsigned long long>(notOk),
          attachUs / 1000, attachFileBytes, firstSampleMs);
    }
  } catch (const hotpath::HotpathError& e) {
    fprintf(stderr, "%s: %s\n", hotpath::errorCodeName(e.code()), e.what());
    return 1;
  }
  return 0;
}
