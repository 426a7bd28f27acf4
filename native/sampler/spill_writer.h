// Appends the records of docs/spill-format.md to a file. Records are
// buffered in memory and written by flush(), which the sampling loop calls
// about every 100 ms, so a crash of the host process loses at most that much.
// Not thread-safe: only the sampling thread uses it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotpath {

class SpillWriter {
 public:
  // A spill file stops growing here: a crash-safe copy is not worth filling
  // the disk (a 30-minute run at 1 kHz with a few threads is ~100 MB).
  static constexpr uint64_t kMaxBytes = uint64_t{1} << 30;

  // Creates the file, mode 0600, and writes the header. Refuses a path where
  // anything already is (a file or a symbolic link: O_EXCL | O_NOFOLLOW).
  // Throws HotpathError(SpillIo) when the file cannot be created.
  explicit SpillWriter(const std::string& path);
  ~SpillWriter();
  SpillWriter(const SpillWriter&) = delete;
  SpillWriter& operator=(const SpillWriter&) = delete;

  void string(uint32_t id, const std::string& utf8);
  void frame(uint32_t id, uint32_t fileString, uint32_t nameString, uint32_t line,
             uint32_t firstLine);
  void stack(uint32_t id, int32_t parent, uint32_t frame);
  void thread(uint32_t index, int32_t tid, uint64_t ident, bool isMain, uint32_t nameString);
  // flags: kSampleOnCpu | kSampleHoldsGil (profile_data.h).
  void sample(double timeUs, uint32_t thread, int32_t stack, uint8_t flags);
  void meta(const std::string& json);
  void end(const std::string& json);
  void threadName(uint32_t index, uint32_t nameString);
  // A process's record as JSON (a later record for the same index replaces it).
  void process(uint32_t index, const std::string& json);
  void threadProcess(uint32_t thread, uint32_t process);
  // Marks a thread record as an asyncio task's lane on the event loop of thread `loop`.
  void threadLoop(uint32_t thread, uint32_t loop);

  // Writes the buffered records. After a write error the writer stops
  // writing (sampling goes on) and failed() reports why.
  void flush();
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void put(const void* data, size_t size);
  void putU8(uint8_t v) { put(&v, 1); }
  void putU32(uint32_t v) { put(&v, 4); }
  void putI32(int32_t v) { put(&v, 4); }
  void putU64(uint64_t v) { put(&v, 8); }
  void putF64(double v) { put(&v, 8); }
  void putBlob(const std::string& bytes);

  std::string path_;
  int fd_ = -1;
  std::vector<uint8_t> buffer_;
  uint64_t written_ = 0;
  std::string error_;
};

}  // namespace hotpath
