// Compiled OpenCL programs keyed by (source, build options): each is built once per
// backend instance (PoCL compiles through LLVM, which is slow), and optionally persisted as a
// device binary under a folder so later processes skip the compiler too.
#ifndef INFER_PLUGINS_OPENCL_PROGRAM_CACHE_H_
#define INFER_PLUGINS_OPENCL_PROGRAM_CACHE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "device.h"

namespace infer::opencl {

class ProgramCache {
 public:
  enum class Source { kMemory, kDisk, kCompiled };

  explicit ProgramCache(const Device& device) : device_(device) {}

  // The built program (owned by the cache) and where it came from. With a non-empty
  // cache_dir a binary is looked up there first and stored there after a build; disk
  // trouble is never an error, only a miss. Thread-safe.
  std::pair<cl_program, Source> get(const std::string& source, const std::string& options,
                                    const std::string& cache_dir);

  struct Stats {
    uint64_t hits = 0;        // served from memory
    uint64_t disk_loads = 0;  // loaded from the disk cache
    uint64_t builds = 0;      // compiled from source
  };
  Stats stats() const;

 private:
  Program build_from_source(const std::string& source, const std::string& options);
  Program load_binary(const std::string& path, const std::string& options);
  void store_binary(cl_program program, const std::string& path);

  const Device& device_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Program> programs_;
  Stats stats_;
};

// 64-bit FNV-1a, stable across processes (names the disk cache files).
uint64_t fnv1a(std::string_view bytes, uint64_t seed = 1469598103934665603ull);

}  // namespace infer::opencl

#endif  // INFER_PLUGINS_OPENCL_PROGRAM_CACHE_H_
