// Everything one sampling run produced, in the columnar shape of RawProfile
// (extension/model/rawProfile.ts) so the binding can hand each vector to
// JavaScript as one typed array.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "python/python_reader.h"  // DropCounts

namespace hotpath {

// The frame a sample of a thread running the garbage collector has on top: a function named
// "<GC>" in a file named "<interpreter>", line 0 (extension/model/gcFrame.ts knows it by these).
inline constexpr const char* kGcFrameName = "<GC>";
inline constexpr const char* kGcFrameFile = "<interpreter>";

// The flags byte of a spilled sample (docs/spill-format.md).
inline constexpr uint8_t kSampleOnCpu = 1;
inline constexpr uint8_t kSampleHoldsGil = 2;

struct ThreadRecord {
  uint32_t process = 0;  // index into ProfileData::processes
  int32_t tid = 0;
  uint64_t ident = 0;
  bool isMain = false;
  uint32_t nameString = 0;  // index into ProfileData::strings
  // An asyncio task's lane: the index of the thread whose event loop runs it; -1 for a thread.
  int32_t loopThread = -1;
};

// One program image a run followed: a process from its start (or from when
// it was found) to its exit, or to an exec that replaced its program (the
// same pid then gets a new record).
struct ProcessRecord {
  int32_t pid = 0;
  int32_t ppid = 0;
  int32_t parent = -1;  // index of the parent's record; -1 for the first process
  std::vector<std::string> argv;
  std::string pythonVersion;  // "" while (or when) no CPython interpreter is sampled in it
  std::string pythonBinary;
  double startUs = 0;       // µs since the run's clock started; 0 for a process already running
  double endUs = -1;        // -1: still running when sampling ended
  int32_t waitStatus = -1;  // as waitpid() reports it; -1 when not known
  bool execed = false;      // ended by exec'ing another program
  std::string note;         // why it was not sampled (not CPython, unsupported, …), or ""
};

struct SamplerStats {
  uint64_t ticks = 0;
  uint64_t samples = 0;
  uint64_t lateTicks = 0;
  uint64_t droppedSamples = 0;
  double meanTickCostUs = 0;
  uint32_t maxDepth = 0;
  uint64_t truncatedStacks = 0;
  // Samples whose innermost frames had returned while the stack was read
  // (those frames were cut off; the samples are kept).
  uint64_t returnedFramesCut = 0;
  // droppedSamples by why each was dropped (DropReason order).
  DropCounts droppedByReason{};
  // When sampling, at nice 19 for a multi-threaded program, went back to
  // normal priority because every core was busy (µs since the first tick);
  // -1: it never had to.
  double normalPrioritySinceUs = -1;
};

struct TargetInfo {
  int pid = 0;
  std::string pythonVersion;
  std::string pythonBinary;
};

struct ProfileData {
  std::vector<std::string> strings;

  std::vector<uint32_t> frameFile;
  std::vector<uint32_t> frameName;
  std::vector<uint32_t> frameLine;
  std::vector<uint32_t> frameFirstLine;

  std::vector<int32_t> stackParent;
  std::vector<uint32_t> stackFrame;

  std::vector<double> sampleTime;  // µs since startedAtMs
  std::vector<uint32_t> sampleThread;
  std::vector<int32_t> sampleStack;  // -1: no Python frames
  std::vector<uint8_t> sampleOnCpu;
  std::vector<uint8_t> sampleGil;  // 1: the thread held the GIL

  std::vector<ThreadRecord> threads;
  std::vector<ProcessRecord> processes;
  SamplerStats stats;
  TargetInfo target;
  double startedAtMs = 0;  // wall clock at the first tick, ms since the Unix epoch
  double durationUs = 0;   // first tick to last tick
  int64_t intervalUs = 0;
};

}  // namespace hotpath
