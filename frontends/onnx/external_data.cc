#include "external_data.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string_view>

#include "host_check.h"

namespace infer::onnx_fe {
namespace {

namespace fs = std::filesystem;

// Closes the descriptor on every exit path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// True if `p` lies strictly below `dir`; both must be canonical. Compares
// whole components so that /models/ab is not taken to be inside /models/a.
bool IsInside(const fs::path& dir, const fs::path& p) {
  auto pi = p.begin();
  for (const fs::path& part : dir) {
    if (pi == p.end() || *pi != part) return false;
    ++pi;
  }
  return pi != p.end();
}

// Lexical checks first, so that nothing unsafe reaches the file system
// (ONNX CVE-2022-25882 and CVE-2024-27318 were both "../" and absolute
// locations). Backslashes count as separators so a Windows-made "..\\x" is
// refused too.
void CheckLocationText(const std::string& location, const std::string& what) {
  const std::string where = what + " external data location " + Quote(location);
  if (location.empty()) Fail(INFER_INVALID_MODEL, what + " has external data with no location");
  if (location.find('\0') != std::string::npos) {
    Fail(INFER_INVALID_MODEL, where + " contains a NUL byte");
  }
  bool drive = location.size() >= 2 && std::isalpha(static_cast<unsigned char>(location[0])) &&
               location[1] == ':';
  if (location[0] == '/' || location[0] == '\\' || drive || fs::path(location).is_absolute()) {
    Fail(INFER_INVALID_MODEL,
         where + " is an absolute path; it must be relative to the model folder");
  }
  size_t start = 0;
  while (start <= location.size()) {
    size_t end = location.find_first_of("/\\", start);
    if (end == std::string::npos) end = location.size();
    if (std::string_view(location).substr(start, end - start) == "..") {
      Fail(INFER_INVALID_MODEL, where + " contains '..'; it must stay inside the model folder");
    }
    start = end + 1;
  }
}

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

std::vector<uint8_t> ReadExternalData(const char* model_dir, const std::string& location,
                                      uint64_t offset, uint64_t length, const std::string& what) {
  CheckLocationText(location, what);
  const std::string where = what + " external data file " + Quote(location);
  if (model_dir == nullptr) {
    Fail(INFER_FAILED_PRECONDITION,
         what + " uses external data, but the model was loaded from memory with no model folder");
  }

  // Resolve symlinks on both sides, then compare: a link inside the folder
  // that points outside it is refused.
  std::error_code ec;
  const fs::path dir = fs::canonical(fs::path(model_dir), ec);
  if (ec) {
    Fail(INFER_NOT_FOUND, "model folder " + Quote(model_dir) + " for " + what +
                              " cannot be resolved: " + ec.message());
  }
  const fs::path target = fs::weakly_canonical(dir / fs::path(location), ec);
  if (ec) Fail(INFER_NOT_FOUND, where + " cannot be resolved: " + ec.message());
  if (!IsInside(dir, target)) {
    Fail(INFER_INVALID_MODEL, where + " resolves to " + Quote(target.string()) +
                                  ", outside the model folder " + Quote(dir.string()));
  }

  // O_NOFOLLOW: the last component was resolved above, so a symlink there now
  // means the folder changed under us.
  Fd fd(::open(target.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    Fail(errno == ENOENT ? INFER_NOT_FOUND : INFER_INVALID_MODEL,
         where + " cannot be opened: " + ErrnoText());
  }
  // Re-check what was really opened, closing the window between the path
  // check and open() for a swapped parent folder. Skipped where /proc is absent.
  char real[4096];
  const std::string proc = "/proc/self/fd/" + std::to_string(fd.get());
  ssize_t n = ::readlink(proc.c_str(), real, sizeof(real) - 1);
  if (n > 0) {
    real[n] = '\0';
    if (!IsInside(dir, fs::path(real))) {
      Fail(INFER_INVALID_MODEL, where + " opened as " + Quote(real) + ", outside the model folder");
    }
  }

  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) Fail(INFER_INVALID_MODEL, where + ": " + ErrnoText());
  if (!S_ISREG(st.st_mode)) Fail(INFER_INVALID_MODEL, where + " is not a regular file");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (offset > size || length > size - offset) {
    Fail(INFER_INVALID_MODEL, where + ": offset " + std::to_string(offset) + " + length " +
                                  std::to_string(length) + " is past the end of the file (" +
                                  std::to_string(size) + " bytes)");
  }
  if (length > std::numeric_limits<size_t>::max() ||
      offset > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) {
    Fail(INFER_RESOURCE_EXHAUSTED, where + " is too large for this machine");
  }

  std::vector<uint8_t> bytes(static_cast<size_t>(length));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t got = ::pread(fd.get(), bytes.data() + done, bytes.size() - done,
                          static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) Fail(INFER_INVALID_MODEL, where + " read failed: " + ErrnoText());
    if (got == 0) Fail(INFER_INVALID_MODEL, where + " ended early while reading");
    done += static_cast<size_t>(got);
  }
  return bytes;
}

}  // namespace infer::onnx_fe
