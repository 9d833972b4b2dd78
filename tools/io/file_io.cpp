#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "diagnostics.h"

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

AtomicFileWriter::AtomicFileWriter(const std::string& path)
    : path_(path), tmp_(path + ".tmp." + std::to_string(::getpid())) {
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot create a temporary file beside it");
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
  ::unlink(tmp_.c_str());
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

void write_file_atomic(const std::string& path, const void* data, size_t size) {
  AtomicFileWriter w(path);
  w.append(data, size);
  w.commit();
}

}  // namespace aisle
