#include "partition.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "ops/op.h"

namespace infer::opencl {

using plugin::PluginError;

struct CompiledPartition::RunState {
  Queue queue;
  std::vector<Mem> buffers;                        // per planned buffer
  std::vector<Kernel> kernels;                     // per launch; null for external launches
  std::vector<std::vector<cl_mem>> external_args;  // per launch: its buffer args
};

CompiledPartition::CompiledPartition(const Device& device) : device_(device) {}
CompiledPartition::~CompiledPartition() = default;

std::unique_ptr<CompiledPartition> CompiledPartition::compile(
    const Device& device, ProgramCache& cache, const std::vector<NodeSnapshot>& nodes,
    const std::vector<ValueSnapshot>& inputs, const std::vector<ValueSnapshot>& outputs,
    const std::string& cache_dir) {
  std::unique_ptr<CompiledPartition> p(new CompiledPartition(device));
  Plan& plan = p->plan_;
  std::map<size_t, size_t> value_storage;
  for (const ValueSnapshot& v : inputs) {
    if (!v.is_static()) {
      throw PluginError(INFER_UNIMPLEMENTED,
                        "opencl: partition input '" + v.name + "' has a dynamic shape");
    }
    Storage s;
    s.kind = Storage::Kind::kInput;
    s.bytes = static_cast<size_t>(v.numel()) * plugin::dtype_size(v.dtype);
    plan.storages.push_back(std::move(s));
    plan.input_storages.push_back(plan.storages.size() - 1);
    plan.input_shapes.push_back(v.dims);
    value_storage[v.id] = plan.storages.size() - 1;
  }
  ProgramBuilder build = [&](const std::string& source, const std::string& options) {
    auto [program, from] = cache.get(source, options, cache_dir);
    ++(from == ProgramCache::Source::kMemory ? plan.programs_cached
       : from == ProgramCache::Source::kDisk ? plan.programs_disk
                                             : plan.programs_built);
    return program;
  };
  for (const NodeSnapshot& node : nodes) {
    if (std::string why = refusal_reason(node); !why.empty()) {
      throw PluginError(INFER_UNIMPLEMENTED, "opencl: " + why);
    }
    Lowering l(plan, build, value_storage, node);
    l.context = device.context();
    l.device = device.id();
    find_op(node)->lower(l);
  }
  for (const ValueSnapshot& v : outputs) {
    auto it = value_storage.find(v.id);
    if (it == value_storage.end()) {
      throw PluginError(INFER_INVALID_ARGUMENT,
                        "opencl: partition output '" + v.name + "' is not computed by its nodes");
    }
    if (v.dtype != INFER_DTYPE_FLOAT32 || !v.is_static()) {
      throw PluginError(INFER_UNIMPLEMENTED, "opencl: partition output '" + v.name +
                                                 "' must be float32 with a static shape");
    }
    plan.output_storages.push_back(it->second);
    plan.output_shapes.push_back(v.dims);
  }
  plan_buffers(plan);
  // Weights and other constants go to the device once, here.
  p->constants_.resize(plan.storages.size());
  for (size_t i = 0; i < plan.storages.size(); ++i) {
    const Storage& s = plan.storages[i];
    if (s.kind != Storage::Kind::kConstant) continue;
    cl_int err = CL_SUCCESS;
    std::vector<unsigned char> bytes = s.data;
    bytes.resize(std::max<size_t>(bytes.size(), 4));
    p->constants_[i].reset(clCreateBuffer(device.context(), CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                          bytes.size(), bytes.data(), &err));
    check_cl(err, "clCreateBuffer (constant)");
    p->constant_bytes_ += s.data.size();
  }
  // One run state up front, so the first run does not pay for kernel creation.
  p->idle_.push_back(p->make_run_state());
  p->created_ = 1;
  return p;
}

cl_mem CompiledPartition::storage_mem(const RunState& st, size_t storage) const {
  const Storage& s = plan_.storages.at(storage);
  if (s.kind == Storage::Kind::kConstant) return constants_[storage].get();
  if (s.buffer == kNone) throw PluginError(INFER_INTERNAL, "opencl: storage without a buffer");
  return st.buffers.at(s.buffer).get();
}

std::unique_ptr<CompiledPartition::RunState> CompiledPartition::make_run_state() const {
  auto st = std::make_unique<RunState>();
  st->queue = device_.make_queue();
  for (size_t bytes : plan_.buffer_bytes) {
    cl_int err = CL_SUCCESS;
    st->buffers.emplace_back(
        clCreateBuffer(device_.context(), CL_MEM_READ_WRITE, bytes, nullptr, &err));
    check_cl(err, "clCreateBuffer (activations)");
  }
  // Kernel objects are per run state: clSetKernelArg on a shared one would race, and with
  // fixed buffers every argument can be set once here.
  for (const Launch& l : plan_.launches) {
    std::vector<cl_mem> mems;
    for (const Arg& a : l.args)
      if (a.kind == Arg::Kind::kBuffer) mems.push_back(storage_mem(*st, a.storage));
    st->external_args.push_back(mems);
    if (l.external) {
      st->kernels.emplace_back();
      continue;
    }
    cl_int err = CL_SUCCESS;
    Kernel k(clCreateKernel(l.program, l.kernel.c_str(), &err));
    check_cl(err, ("clCreateKernel(" + l.kernel + ")").c_str());
    for (cl_uint i = 0; i < l.args.size(); ++i) {
      const Arg& a = l.args[i];
      cl_mem m = a.kind == Arg::Kind::kBuffer ? storage_mem(*st, a.storage) : nullptr;
      switch (a.kind) {
        case Arg::Kind::kBuffer:
          err = clSetKernelArg(k.get(), i, sizeof(cl_mem), &m);
          break;
        case Arg::Kind::kInt:
          err = clSetKernelArg(k.get(), i, sizeof(cl_int), &a.i);
          break;
        case Arg::Kind::kFloat:
          err = clSetKernelArg(k.get(), i, sizeof(cl_float), &a.f);
          break;
        case Arg::Kind::kLocal:
          err = clSetKernelArg(k.get(), i, a.bytes, nullptr);
          break;
      }
      check_cl(err, ("clSetKernelArg(" + l.kernel + ", " + std::to_string(i) + ")").c_str());
    }
    st->kernels.push_back(std::move(k));
  }
  return st;
}

size_t CompiledPartition::run_states_created() const {
  std::lock_guard<std::mutex> lock(pool_mu_);
  return created_;
}

void CompiledPartition::run(std::span<const infer_tensor_view> inputs,
                            const OutputAllocator& allocate) {
  const auto start = std::chrono::steady_clock::now();
  if (inputs.size() != plan_.input_storages.size()) {
    throw PluginError(INFER_INVALID_ARGUMENT, "opencl: expected " +
                                                  std::to_string(plan_.input_storages.size()) +
                                                  " inputs, got " + std::to_string(inputs.size()));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const infer_tensor_view& t = inputs[i];
    const auto& want = plan_.input_shapes[i];
    const bool shape_ok = t.rank == want.size() && (t.rank == 0 || t.shape) &&
                          std::equal(want.begin(), want.end(), t.shape);
    const size_t nbytes = plan_.storages[plan_.input_storages[i]].bytes;
    if (!shape_ok || t.nbytes != nbytes || (nbytes && !t.data)) {
      throw PluginError(INFER_INVALID_ARGUMENT, "opencl: input " + std::to_string(i) +
                                                    " does not have the shape and size it was "
                                                    "compiled for");
    }
  }
  // Take an idle run state, or make one: concurrent runs never share buffers.
  std::unique_ptr<RunState> st;
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_.empty()) {
      st = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!st) {
    st = make_run_state();
    std::lock_guard<std::mutex> lock(pool_mu_);
    ++created_;
  }
  cl_command_queue q = st->queue.get();
  std::vector<Event> events;
  std::vector<size_t> event_launch;
  uint64_t up = 0, down = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Storage& s = plan_.storages[plan_.input_storages[i]];
    if (s.last < 0 || s.bytes == 0) continue;  // nothing reads it on the device
    check_cl(clEnqueueWriteBuffer(q, storage_mem(*st, plan_.input_storages[i]), CL_FALSE, 0,
                                  s.bytes, inputs[i].data, 0, nullptr, nullptr),
             "clEnqueueWriteBuffer");
    up += s.bytes;
  }
  for (size_t li = 0; li < plan_.launches.size(); ++li) {
    const Launch& l = plan_.launches[li];
    if (l.external) {
      std::vector<cl_event> evs;
      l.external->enqueue(q, st->external_args[li], evs);
      for (cl_event e : evs) {
        events.emplace_back(e);
        event_launch.push_back(li);
      }
      continue;
    }
    bool empty = false;
    for (cl_uint d = 0; d < l.dims; ++d) empty = empty || l.global[d] == 0;
    if (empty) continue;
    const bool has_local = l.local[0] != 0;
    cl_event ev = nullptr;
    check_cl(clEnqueueNDRangeKernel(q, st->kernels[li].get(), l.dims, nullptr, l.global.data(),
                                    has_local ? l.local.data() : nullptr, 0, nullptr, &ev),
             ("clEnqueueNDRangeKernel(" + l.kernel + ")").c_str());
    events.emplace_back(ev);
    event_launch.push_back(li);
  }
  for (size_t j = 0; j < plan_.output_storages.size(); ++j) {
    const size_t s = plan_.output_storages[j];
    const size_t bytes = plan_.storages[s].bytes;
    void* dst = allocate(j, plan_.output_shapes[j]);
    if (bytes == 0) continue;
    if (!dst) throw PluginError(INFER_INTERNAL, "opencl: host gave no output buffer");
    check_cl(
        clEnqueueReadBuffer(q, storage_mem(*st, s), CL_FALSE, 0, bytes, dst, 0, nullptr, nullptr),
        "clEnqueueReadBuffer");
    down += bytes;
  }
  check_cl(clFinish(q), "clFinish");
  // Device time per kernel name from the profiling events.
  std::map<std::string, std::pair<uint64_t, uint64_t>> times;
  for (size_t i = 0; i < events.size(); ++i) {
    cl_ulong t0 = 0, t1 = 0;
    if (clGetEventProfilingInfo(events[i].get(), CL_PROFILING_COMMAND_START, sizeof(t0), &t0,
                                nullptr) != CL_SUCCESS ||
        clGetEventProfilingInfo(events[i].get(), CL_PROFILING_COMMAND_END, sizeof(t1), &t1,
                                nullptr) != CL_SUCCESS)
      continue;
    auto& [ns, count] = times[plan_.launches[event_launch[i]].kernel];
    ns += t1 > t0 ? t1 - t0 : 0;
    ++count;
  }
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    idle_.push_back(std::move(st));
  }
  const auto host_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  std::lock_guard<std::mutex> lock(stats_mu_);
  ++runs_;
  bytes_up_ += up;
  bytes_down_ += down;
  host_ns_ += static_cast<uint64_t>(host_ns);
  for (const auto& [name, t] : times) {
    kernel_ns_[name].first += t.first;
    kernel_ns_[name].second += t.second;
  }
}

namespace {
std::string kib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  return buf;
}
std::string ms(double ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f ms", ns / 1e6);
  return buf;
}
}  // namespace

std::string CompiledPartition::describe() const {
  size_t total_buffers = 0;
  for (size_t b : plan_.buffer_bytes) total_buffers += b;
  std::string s = "opencl: " + std::to_string(plan_.launches.size()) +
                  " kernel launches per run on " + device_.choice().label() + "\n";
  std::lock_guard<std::mutex> lock(stats_mu_);
  if (runs_ > 0) {
    const double n = static_cast<double>(runs_);
    std::vector<std::pair<uint64_t, std::string>> by_time;
    uint64_t total = 0;
    for (const auto& [name, t] : kernel_ns_) {
      by_time.emplace_back(t.first, name);
      total += t.first;
    }
    std::sort(by_time.rbegin(), by_time.rend());
    s += "device time per run: " + ms(static_cast<double>(total) / n) + " (host " +
         ms(static_cast<double>(host_ns_) / n) + ", " + std::to_string(runs_) + " runs)";
    for (size_t i = 0; i < by_time.size() && i < 5; ++i) {
      s += i == 0 ? "; top: " : ", ";
      s += by_time[i].second + " " + ms(static_cast<double>(by_time[i].first) / n);
    }
    s += "\ntransfers per run: uploaded " + kib(bytes_up_ / runs_) + ", downloaded " +
         kib(bytes_down_ / runs_) + "\n";
  }
  s += "device buffers: " + kib(total_buffers) + " in " +
       std::to_string(plan_.buffer_bytes.size()) + " planned buffers per run state (" +
       kib(plan_.unplanned_bytes) + " without reuse), " + kib(constant_bytes_) +
       " constants uploaded once\n";
  s += "programs: " + std::to_string(plan_.programs_cached) + " cache hits, " +
       std::to_string(plan_.programs_built) + " built, " + std::to_string(plan_.programs_disk) +
       " loaded from disk\n";
  return s;
}

}  // namespace infer::opencl
