// Whole-file reads and atomic writes (temp file in the same directory, fsync, rename):
// a failed write never leaves a partial file or replaces the previous one. The temporary
// file `PATH.tmp.<pid>.<random>` is created exclusively (O_EXCL | O_NOFOLLOW: a planted
// file or symlink is never written through), removed on every failure path, and stale
// ones left by killed writers (a dead <pid>) are removed on the next write to PATH.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "snapshot.h"

namespace aisle {

// Throws InputError naming the path.
std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes = uint64_t(4) << 30);
void write_file_atomic(const std::string& path, const void* data, size_t size);
// Creates a directory and its missing parents; InputError naming it when it cannot be.
void make_dir(const std::string& dir);

// A snapshot file read and verified; `snapshot` points into `bytes` (moving this keeps
// it valid: a moved vector keeps its buffer). Throws InputError naming the path and why.
struct SnapshotFile {
  std::vector<uint8_t> bytes;
  Snapshot snapshot;
};
SnapshotFile read_snapshot(const std::string& path);

// Streams a file into place: appends go to a temporary file beside `path`, commit()
// syncs and renames it; destruction without commit() removes the temporary file.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::string& path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void append(const void* data, size_t size);
  void append(const std::string& s) { append(s.data(), s.size()); }
  void commit();

 private:
  friend class AtomicBatchWriter;
  AtomicFileWriter(const std::string& path, bool sweep);
  std::string close_unsynced();  // the temporary file, now the caller's
  [[noreturn]] void fail(const char* what);
  std::string path_, tmp_;
  int fd_ = -1;
};

// Many files put in place atomically, each as write_file_atomic() does but synced
// together (aisle publish writes 100,000 small ones, and an fsync costs ~0.5 ms each):
// add() writes a file's temporary file, commit() syncs the file system once (syncfs),
// renames every file into place and syncs their directories. Stale temporaries of any
// name (`*.tmp.<dead pid>.*`) are removed from a directory at its first add(), not at
// every file (a scan of a 100,000-file directory per file is quadratic): for directories
// only aisle writes into. Destruction without commit() removes the temporaries.
//
//   AtomicBatchWriter batch;
//   for (...) batch.add(dir + "/" + name, text.data(), text.size());  // InputError naming it
//   batch.commit();
class AtomicBatchWriter {
 public:
  AtomicBatchWriter() = default;
  ~AtomicBatchWriter();
  AtomicBatchWriter(const AtomicBatchWriter&) = delete;
  AtomicBatchWriter& operator=(const AtomicBatchWriter&) = delete;
  void add(const std::string& path, const void* data, size_t size);
  void commit();

 private:
  std::vector<std::string> dirs_;                           // swept of stale temporaries
  std::vector<std::pair<std::string, std::string>> files_;  // {temporary, destination}
};

}  // namespace aisle
