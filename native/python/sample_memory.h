// Per-sample view of the target's memory that turns most of a sample's reads
// into one vectored system call.
//
// A system call costs microseconds whatever its size, and a program's stacks
// change little between samples. So every range a sample reads is
// remembered, and the next sample starts by reading all of them at once
// (begin()). Reads during that sample are then served from this fresh copy
// when it covers them, and go to the process otherwise. The data is always
// from the current sample: only *which* addresses to read is predicted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "os/process_memory.h"
#include "python/address_index.h"

namespace hotpath {

class SampleMemory {
 public:
  explicit SampleMemory(ProcessMemory& memory) : memory_(memory) {}

  // The unit the kernel maps memory in: a range inside one page is readable
  // as a whole if any of it is.
  static constexpr uint64_t kPageSize = 4096;

  // Reads what the previous sample used. Ok unless the process is gone/denied.
  ReadResult begin();

  // A pointer to `len` bytes at `addr`, valid until the next read/begin, or
  // null when they cannot be read (torn pointer). `remember` ≥ len widens what
  // the next sample prefetches (e.g. a stack chunk that may grow); 0 = don't.
  const uint8_t* read(uint64_t addr, size_t len, size_t remember);
  const uint8_t* read(uint64_t addr, size_t len) { return read(addr, len, len); }

  // Whether a read of [addr, addr + len) would be served without a system call.
  bool holds(uint64_t addr, size_t len) { return fromSnapshots(addr, len) != nullptr; }

  // read() when this sample's reads already hold the range; null (and no
  // system call) when they do not.
  const uint8_t* readIfHeld(uint64_t addr, size_t len, size_t remember);

  // Adds a range to what the next sample prefetches.
  void prefetchNextTime(uint64_t addr, size_t len);

  // Copies instead of pointing (for small fixed-size values).
  bool copy(uint64_t addr, void* out, size_t len);

  // Reads from the process as it is now, never from a snapshot, and does not
  // remember the range. For objects that may be younger than the snapshots
  // (a snapshot would show their memory from before they were written), and
  // for checking that something read earlier still holds.
  const uint8_t* readNow(uint64_t addr, size_t len);
  bool copyNow(uint64_t addr, void* out, size_t len);
  // copyNow of several ranges in one system call, copied in the order given
  // (so a later span is at least as new as an earlier one). Each span's `ok`
  // says whether it was read; false only when the process is gone or denied.
  bool copyManyNow(ReadSpan* spans, size_t count);

  // Reads several ranges: served from the prefetch when covered, the rest in
  // one vectored call. `out[i]` is null where a range could not be read.
  void readMany(const uint64_t* addrs, const size_t* lens, size_t count,
                std::vector<const uint8_t*>& out);

  // Re-reading one part of a sample (a thread's stack). A walk that met a
  // pointer the prefetch did not cover read that part later than the rest,
  // so it may combine two moments (a frame popped in between); and frames of
  // tight loops live for less than the reads of one stack take. reread(mark)
  // reads everything used since mark() again in one call, as close together
  // in time as one call allows; reads are served from that copy (and no
  // longer from the prefetch) until endReread(). Pointers returned before a reread are invalid
  // after it.
  //
  // `order` says which moment one call favours. Pointers first (the order of
  // first use) suits a stack that grows: what a pointer leads to was already
  // there when the pointer was read. A stack that shrinks needs the opposite:
  // by the time a frame freed a moment ago is read it has been recycled
  // (≤ 3.10 free lists), while frames read *before* the pointer to the
  // innermost one are all still live when that pointer is read.
  enum class Order { PointersFirst, PointeesFirst };
  size_t mark() {
    containers_.clear();  // a reread must not count on ranges from before the mark
    return used_.size();
  }
  ReadResult reread(size_t mark, Order order = Order::PointersFirst);
  void endReread() {
    reread_.clear();
    rereading_ = false;
  }

  // While a Background guard lives, the ranges used are read after the
  // stacks next time (code objects, the frame pool): a stack's ranges then
  // follow each other as closely as one call allows.
  class Background {
   public:
    explicit Background(SampleMemory& m) : m_(m), was_(m.background_) { m.background_ = true; }
    ~Background() { m_.background_ = was_; }
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

   private:
    SampleMemory& m_;
    bool was_;
  };

  // Ends a sample: the ranges used become the next sample's prefetch.
  void end();

  // Set when a read found the process gone or not readable any more.
  ReadResult fatal() const { return fatal_; }

  uint64_t prefetchHits() const { return hits_; }
  uint64_t prefetchMisses() const { return misses_; }

 private:
  struct Range {
    uint64_t addr;
    uint64_t len;
    size_t offset;  // into the snapshot's bytes
    size_t rank;    // when the sample first used it (merged: the earliest)
    bool ok;
  };
  // Ranges read together in one call, sorted by address and merged. The call
  // reads them in the order the sample first used them: a pointer is then
  // always read before what it points to. The other way round, a frame just
  // pushed would be read as its slot was before the push (uninitialised or
  // another frame's leftovers); this way a frame that has just been popped is
  // still read whole, since popping leaves a frame's memory as it was.
  struct Snapshot {
    std::vector<Range> ranges;
    std::vector<uint8_t> bytes;
    std::vector<size_t> sequence;  // indices into ranges, in the order of the call
    bool laidOut = false;          // offsets, bytes and sequence match ranges
    // Replaces the ranges with `from` sorted and merged, within the bounds.
    void set(std::vector<Range>& from, AddressIndex& index);
    // Fills `spans` (in the order of the call) from the ranges, and says how
    // many come before the first background range; `finish` takes the
    // outcome of each range's span back.
    size_t layOut(std::vector<ReadSpan>& spans, Order order);
    void finish(ReadResult r, const ReadSpan* spans, size_t first, size_t count);
    const uint8_t* find(uint64_t addr, size_t len) const;
    void clear() { ranges.clear(); }
  };
  // A direct read this sample made that later reads may be served from
  // (a stack chunk read whole, then walked frame by frame).
  struct Fresh {
    uint64_t addr;
    size_t len;
    const uint8_t* bytes;
  };
  // One call: the snapshot's ranges in the order `order` lays them out.
  ReadResult readSnapshot(Snapshot& snapshot, Order order);
  const uint8_t* fromSnapshots(uint64_t addr, size_t len);
  const uint8_t* fromFresh(uint64_t addr, size_t len) const;
  void remember(uint64_t addr, size_t len);
  uint8_t* scratch(size_t len);

  ProcessMemory& memory_;
  Snapshot prefetch_;
  Snapshot reread_;
  bool rereading_ = false;
  std::vector<Range> used_;  // this sample's ranges, for the next prefetch
  // The ranges the prefetch was last built from: a steady program uses the
  // same ones sample after sample, and the prefetch is then kept as it is
  // (building it, hashing and sorting included, is most of the reader's own
  // time in a 30-frame tick on 3.8–3.10).
  std::vector<Range> prefetchFrom_;
  // Recent large ranges in used_: smaller ones inside them (the frames of a
  // stack chunk) need no range of their own.
  std::vector<size_t> containers_;
  AddressIndex setIndex_;  // Snapshot::set's duplicate finder
  std::vector<Range> picked_;
  // Direct reads land in separately allocated buffers so earlier pointers
  // stay valid for the rest of the sample.
  std::vector<std::vector<uint8_t>> direct_;
  size_t directUsed_ = 0;
  std::vector<Fresh> fresh_;
  std::vector<ReadSpan> spans_;
  std::vector<size_t> which_;
  bool background_ = false;
  ReadResult fatal_ = ReadResult::Ok;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace hotpath
