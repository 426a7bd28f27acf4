#include "sampler/spill_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "python/python_reader.h"

namespace hotpath {

namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the spill format is little-endian; add byte swapping for this target");

enum RecordType : uint8_t {
  kString = 1,
  kFrame = 2,
  kStack = 3,
  kThread = 4,
  kSample = 5,
  kMeta = 6,
  kEnd = 7,
  kThreadName = 8,
  kProcess = 9,
  kThreadProcess = 10,
  kThreadLoop = 11,
};

constexpr char kMagic[8] = {'H', 'O', 'T', 'P', 'A', 'T', 'H', 'S'};
constexpr uint32_t kFormatVersion = 3;

}  // namespace

SpillWriter::SpillWriter(const std::string& path) : path_(path) {
  // The file holds the profiled program's paths and names: readable by its owner only, and
  // never written through something already at that name (a link planted in a shared folder
  // would otherwise redirect the write, a stale file would be mixed with this run).
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    const int error = errno;
    const bool taken = error == EEXIST || error == ELOOP;
    throw HotpathError(
        ErrorCode::SpillIo,
        "cannot create the spill file " + path + ": " + std::strerror(error) +
            (taken
                 ? ". Something is already at that path; Hotpath never writes through an existing "
                   "file or link. Remove it or choose another path."
                 : ". Check that its folder exists and is writable."));
  }
  buffer_.reserve(1 << 16);
  put(kMagic, sizeof kMagic);
  putU32(kFormatVersion);
  putU32(0);
  flush();
  if (failed()) {
    ::close(fd_);
    fd_ = -1;
    throw HotpathError(ErrorCode::SpillIo, error_);
  }
}

SpillWriter::~SpillWriter() {
  flush();
  if (fd_ >= 0) ::close(fd_);
}

void SpillWriter::put(const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  buffer_.insert(buffer_.end(), bytes, bytes + size);
}

void SpillWriter::putBlob(const std::string& bytes) {
  putU32(static_cast<uint32_t>(bytes.size()));
  put(bytes.data(), bytes.size());
}

void SpillWriter::string(uint32_t id, const std::string& utf8) {
  putU8(kString);
  putU32(id);
  putBlob(utf8);
}

void SpillWriter::frame(uint32_t id, uint32_t fileString, uint32_t nameString, uint32_t line,
                        uint32_t firstLine) {
  putU8(kFrame);
  putU32(id);
  putU32(fileString);
  putU32(nameString);
  putU32(line);
  putU32(firstLine);
}

void SpillWriter::stack(uint32_t id, int32_t parent, uint32_t frame) {
  putU8(kStack);
  putU32(id);
  putI32(parent);
  putU32(frame);
}

void SpillWriter::thread(uint32_t index, int32_t tid, uint64_t ident, bool isMain,
                         uint32_t nameString) {
  putU8(kThread);
  putU32(index);
  putI32(tid);
  putU64(ident);
  putU8(isMain ? 1 : 0);
  putU32(nameString);
}

void SpillWriter::sample(double timeUs, uint32_t thread, int32_t stack, uint8_t flags) {
  putU8(kSample);
  putF64(timeUs);
  putU32(thread);
  putI32(stack);
  putU8(flags);
}

void SpillWriter::meta(const std::string& json) {
  putU8(kMeta);
  putBlob(json);
}

void SpillWriter::end(const std::string& json) {
  putU8(kEnd);
  putBlob(json);
}

void SpillWriter::threadName(uint32_t index, uint32_t nameString) {
  putU8(kThreadName);
  putU32(index);
  putU32(nameString);
}

void SpillWriter::process(uint32_t index, const std::string& json) {
  putU8(kProcess);
  putU32(index);
  putBlob(json);
}

void SpillWriter::threadProcess(uint32_t thread, uint32_t process) {
  putU8(kThreadProcess);
  putU32(thread);
  putU32(process);
}

void SpillWriter::threadLoop(uint32_t thread, uint32_t loop) {
  putU8(kThreadLoop);
  putU32(thread);
  putU32(loop);
}

void SpillWriter::flush() {
  if (fd_ < 0 || failed()) {
    buffer_.clear();
    return;
  }
  if (written_ + buffer_.size() > kMaxBytes) {
    error_ = "the spill file " + path_ + " reached its 1 GB limit; it keeps what it has and the " +
             "rest of the run is kept in memory only.";
    buffer_.clear();
    return;
  }
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = "writing the spill file " + path_ +
               " failed: " + std::string(n < 0 ? std::strerror(errno) : "no progress") +
               ". Sampling continues without it; free disk space to keep a crash-safe copy.";
      break;
    }
    done += static_cast<size_t>(n);
  }
  written_ += done;
  buffer_.clear();
}

}  // namespace hotpath
