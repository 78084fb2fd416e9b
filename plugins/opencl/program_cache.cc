#include "program_cache.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace infer::opencl {

uint64_t fnv1a(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

namespace {

std::string build_log(cl_program program, cl_device_id dev) {
  size_t n = 0;
  if (clGetProgramBuildInfo(program, dev, CL_PROGRAM_BUILD_LOG, 0, nullptr, &n) != CL_SUCCESS)
    return "";
  std::string log(n, '\0');
  if (clGetProgramBuildInfo(program, dev, CL_PROGRAM_BUILD_LOG, n, log.data(), nullptr) !=
      CL_SUCCESS)
    return "";
  while (!log.empty() && log.back() == '\0') log.pop_back();
  return log.size() > 2000 ? log.substr(0, 2000) + "..." : log;
}

}  // namespace

std::pair<cl_program, ProgramCache::Source> ProgramCache::get(const std::string& source,
                                                              const std::string& options,
                                                              const std::string& cache_dir) {
  // One lock over lookup and build: concurrent compiles of one session are rare, and
  // building twice would waste far more than the wait.
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(source, options);
  if (auto it = programs_.find(key); it != programs_.end()) {
    ++stats_.hits;
    return {it->second.get(), Source::kMemory};
  }
  std::string path;
  if (!cache_dir.empty()) {
    const DeviceChoice& c = device_.choice();
    uint64_t h = fnv1a(c.platform_name + '\n' + c.device_name + '\n' + c.driver_version);
    h = fnv1a(options + '\n', h);
    h = fnv1a(source, h);
    char name[40];
    std::snprintf(name, sizeof(name), "opencl-%016llx.bin", static_cast<unsigned long long>(h));
    path = (std::filesystem::path(cache_dir) / name).string();
  }
  Source from = Source::kCompiled;
  Program program;
  if (!path.empty()) program = load_binary(path, options);
  if (program) {
    from = Source::kDisk;
    ++stats_.disk_loads;
  } else {
    program = build_from_source(source, options);
    ++stats_.builds;
    if (!path.empty()) store_binary(program.get(), path);
  }
  cl_program raw = program.get();
  programs_.emplace(std::move(key), std::move(program));
  return {raw, from};
}

ProgramCache::Stats ProgramCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

Program ProgramCache::build_from_source(const std::string& source, const std::string& options) {
  const char* text = source.c_str();
  const size_t len = source.size();
  cl_int err = CL_SUCCESS;
  Program program(clCreateProgramWithSource(device_.context(), 1, &text, &len, &err));
  check_cl(err, "clCreateProgramWithSource");
  cl_device_id dev = device_.id();
  err = clBuildProgram(program.get(), 1, &dev, options.c_str(), nullptr, nullptr);
  if (err != CL_SUCCESS) {
    throw plugin::PluginError(INFER_INTERNAL,
                              "opencl: clBuildProgram failed: " + cl_error_name(err) + "\n" +
                                  build_log(program.get(), dev));
  }
  return program;
}

Program ProgramCache::load_binary(const std::string& path, const std::string& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
  if (bytes.empty()) return nullptr;
  const unsigned char* data = bytes.data();
  const size_t len = bytes.size();
  cl_device_id dev = device_.id();
  cl_int bin_status = CL_SUCCESS, err = CL_SUCCESS;
  Program program(
      clCreateProgramWithBinary(device_.context(), 1, &dev, &len, &data, &bin_status, &err));
  if (err != CL_SUCCESS || bin_status != CL_SUCCESS) return nullptr;
  // A stale or foreign binary fails here and is rebuilt from source.
  if (clBuildProgram(program.get(), 1, &dev, options.c_str(), nullptr, nullptr) != CL_SUCCESS)
    return nullptr;
  return program;
}

void ProgramCache::store_binary(cl_program program, const std::string& path) {
  size_t size = 0;
  if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof(size), &size, nullptr) !=
          CL_SUCCESS ||
      size == 0)
    return;
  std::vector<unsigned char> bytes(size);
  unsigned char* ptr = bytes.data();
  if (clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof(ptr), &ptr, nullptr) != CL_SUCCESS)
    return;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  // Write then rename, so a concurrent reader never sees half a file.
  const std::string tmp = path + ".tmp" + std::to_string(fnv1a(path + std::to_string(size)));
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return;
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!out) return;
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace infer::opencl
