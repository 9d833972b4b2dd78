#include "file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <random>
#include <string_view>
#include <utility>

#include "diagnostics.h"
#include "text.h"

namespace aisle {

std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw InputError(Location{path, 0, ""}, std::string("cannot open: ") + std::strerror(errno));
  const auto size = in.tellg();
  if (size < 0) throw InputError(Location{path, 0, ""}, "cannot tell the file size");
  if (uint64_t(size) > max_bytes) throw InputError(Location{path, 0, ""}, "file too large");
  std::vector<uint8_t> data(static_cast<size_t>(size));
  in.seekg(0);
  if (!data.empty() && !in.read(reinterpret_cast<char*>(data.data()), size)) {
    throw InputError(Location{path, 0, ""}, "read error");
  }
  return data;
}

namespace {

// "dir/name" -> {"dir", "name"}; "name" -> {".", "name"}.
std::pair<std::string, std::string> split_path(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// Removes `NAME.tmp.<pid>[.<suffix>]` files beside the destination whose writer is no
// longer running (killed by SIGKILL, a power cut): they are ours and nobody else's. An
// empty `name`: those of every name (a directory only aisle writes into).
void remove_stale_temporaries(const std::string& dir, const std::string& name) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view entry = e->d_name;
    const size_t at = entry.rfind(".tmp.");  // the suffix holds no dot
    if (at == std::string_view::npos || at == 0 ||
        (!name.empty() && (at != name.size() || entry.compare(0, at, name) != 0)))
      continue;
    const std::string_view rest = entry.substr(at + 5);
    long long pid = 0;
    size_t i = 0;
    while (i < rest.size() && i < 10 && rest[i] >= '0' && rest[i] <= '9')
      pid = pid * 10 + (rest[i++] - '0');
    if (i == 0 || (i < rest.size() && rest[i] != '.') || pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to ask
    ::unlinkat(::dirfd(d), e->d_name, 0);
  }
  ::closedir(d);
}

// Opens a new temporary file beside `path`, never an existing one and never through a
// symbolic link (O_EXCL | O_NOFOLLOW), under an unpredictable name.
int create_temporary(const std::string& path, std::string* tmp) {
  static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string suffix;
    for (int k = 0; k < 8; ++k) suffix += kChars[rd() % (sizeof kChars - 1)];
    *tmp = path + ".tmp." + std::to_string(::getpid()) + "." + suffix;
    const int fd = ::open(tmp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(const std::string& path) : AtomicFileWriter(path, true) {}

AtomicFileWriter::AtomicFileWriter(const std::string& path, bool sweep) : path_(path) {
  // Over `ulimit -f` a write would kill the process by SIGXFSZ, leaving the temporary
  // file behind; ignored, the write fails with EFBIG and the file is removed.
  ::signal(SIGXFSZ, SIG_IGN);
  if (sweep) {
    const auto [dir, name] = split_path(path);
    remove_stale_temporaries(dir, name);
  }
  fd_ = create_temporary(path, &tmp_);
  if (fd_ < 0) {
    tmp_.clear();
    fail("cannot create a temporary file beside it");
  }
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void AtomicFileWriter::fail(const char* what) {
  const std::string err = std::strerror(errno);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
  throw InputError(Location{path_, 0, ""}, std::string(what) + ": " + err);
}

void AtomicFileWriter::append(const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("write failed");
    p += n;
    size -= size_t(n);
  }
}

void AtomicFileWriter::commit() {
  if (::fsync(fd_) != 0) fail("fsync failed");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    ::unlink(tmp_.c_str());
    throw InputError(Location{path_, 0, ""}, std::string("close failed: ") + std::strerror(errno));
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    ::unlink(tmp_.c_str());
    throw InputError(Location{path_, 0, ""}, std::string("rename failed: ") + std::strerror(errno));
  }
}

std::string AtomicFileWriter::close_unsynced() {
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    ::unlink(tmp_.c_str());
    throw InputError(Location{path_, 0, ""}, std::string("close failed: ") + std::strerror(errno));
  }
  return std::move(tmp_);
}

AtomicBatchWriter::~AtomicBatchWriter() {
  for (const auto& file : files_) ::unlink(file.first.c_str());
}

void AtomicBatchWriter::add(const std::string& path, const void* data, size_t size) {
  const std::string dir = split_path(path).first;
  if (std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end()) {
    remove_stale_temporaries(dir, "");
    dirs_.push_back(dir);
  }
  AtomicFileWriter w(path, /*sweep=*/false);
  w.append(data, size);
  files_.emplace_back(w.close_unsynced(), path);
}

namespace {

// fsync, or syncfs, of a directory; InputError naming it.
void sync_dir(const std::string& dir, bool whole_file_system) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool ok = fd >= 0 && (whole_file_system ? ::syncfs(fd) : ::fsync(fd)) == 0;
  const std::string err = std::strerror(errno);
  if (fd >= 0) ::close(fd);
  if (!ok) throw InputError(Location{dir, 0, ""}, "cannot sync: " + err);
}

}  // namespace

void AtomicBatchWriter::commit() {
  for (const std::string& dir : dirs_) sync_dir(dir, /*whole_file_system=*/true);
  for (size_t i = 0; i < files_.size(); ++i) {
    if (::rename(files_[i].first.c_str(), files_[i].second.c_str()) != 0) {
      const std::string err = std::strerror(errno);
      const std::string path = files_[i].second;
      files_.erase(files_.begin(), files_.begin() + long(i));  // in place; the rest removed
      throw InputError(Location{path, 0, ""}, "rename failed: " + err);
    }
  }
  files_.clear();
  for (const std::string& dir : dirs_) sync_dir(dir, /*whole_file_system=*/false);
}

void make_dir(const std::string& dir) {
  std::string partial;
  for (const auto& part : split_trimmed(dir, "/")) {
    partial += (partial.empty() && dir[0] != '/' ? "" : "/") + part;
    ::mkdir(partial.c_str(), 0755);
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw InputError(Location{dir, 0, ""}, "cannot create the output directory");
  }
}

void write_file_atomic(const std::string& path, const void* data, size_t size) {
  AtomicFileWriter w(path);
  w.append(data, size);
  w.commit();
}

SnapshotFile read_snapshot(const std::string& path) {
  SnapshotFile f;
  f.bytes = read_file(path);
  const auto opened = Snapshot::open(f.bytes.data(), f.bytes.size());
  if (!opened.is_ok()) throw InputError(Location{path, 0, ""}, opened.status().message());
  f.snapshot = opened.value();
  return f;
}

}  // namespace aisle
