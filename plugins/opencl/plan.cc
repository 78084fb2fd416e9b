#include "plan.h"

#include <algorithm>
#include <limits>

namespace infer::opencl {

using plugin::PluginError;

Arg Arg::int32(int64_t v) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    throw PluginError(INFER_UNIMPLEMENTED,
                      "opencl: size " + std::to_string(v) + " does not fit the kernels' int32");
  }
  return {Kind::kInt, kNone, static_cast<int32_t>(v), 0, 0};
}

size_t Lowering::new_storage(Storage::Kind kind, size_t bytes) {
  Storage s;
  s.kind = kind;
  s.bytes = bytes;
  plan_.storages.push_back(std::move(s));
  return plan_.storages.size() - 1;
}

Arg Lowering::input(size_t i) {
  if (!node_.has_input(i)) {
    throw PluginError(INFER_INVALID_MODEL,
                      node_.describe() + ": input " + std::to_string(i) + " is missing");
  }
  const ValueSnapshot& v = node_.inputs[i];
  if (auto it = value_storage_.find(v.id); it != value_storage_.end())
    return Arg::buffer(it->second);
  if (!v.is_const) {
    throw PluginError(INFER_INTERNAL, node_.describe() + ": input '" + v.name +
                                          "' has no producer in the partition");
  }
  const size_t s = new_storage(Storage::Kind::kConstant, v.data.size());
  plan_.storages[s].data = v.data;
  value_storage_[v.id] = s;
  return Arg::buffer(s);
}

Arg Lowering::output(size_t i) {
  const ValueSnapshot& v = node_.outputs.at(i);
  const size_t bytes = static_cast<size_t>(v.numel()) * sizeof(float);
  const size_t s = new_storage(Storage::Kind::kActivation, bytes);
  value_storage_[v.id] = s;
  return Arg::buffer(s);
}

void Lowering::alias_output(size_t i, size_t j) {
  value_storage_[node_.outputs.at(i).id] = input(j).storage;
}

Arg Lowering::constant(std::vector<float> values) {
  const size_t s = new_storage(Storage::Kind::kConstant, values.size() * sizeof(float));
  auto& d = plan_.storages[s].data;
  d.resize(values.size() * sizeof(float));
  if (!d.empty()) std::memcpy(d.data(), values.data(), d.size());
  return Arg::buffer(s);
}

Arg Lowering::constant(std::vector<int32_t> values) {
  const size_t s = new_storage(Storage::Kind::kConstant, values.size() * sizeof(int32_t));
  auto& d = plan_.storages[s].data;
  d.resize(values.size() * sizeof(int32_t));
  if (!d.empty()) std::memcpy(d.data(), values.data(), d.size());
  return Arg::buffer(s);
}

Arg Lowering::scratch(size_t bytes) {
  return Arg::buffer(new_storage(Storage::Kind::kActivation, bytes));
}

void Lowering::launch_1d(cl_program program, const char* kernel, std::vector<Arg> args, size_t n) {
  Launch l;
  l.program = program;
  l.kernel = kernel;
  l.args = std::move(args);
  l.global[0] = (n + 63) / 64 * 64;
  launch(std::move(l));
}

void Lowering::launch(Launch l) {
  const long index = static_cast<long>(plan_.launches.size());
  for (const Arg& a : l.args) {
    if (a.kind != Arg::Kind::kBuffer) continue;
    Storage& s = plan_.storages.at(a.storage);
    if (s.kind == Storage::Kind::kActivation && s.first < 0) s.first = index;
    s.last = std::max(s.last, index);
  }
  plan_.launches.push_back(std::move(l));
}

void plan_buffers(Plan& plan) {
  const long end = static_cast<long>(plan.launches.size());
  for (size_t s : plan.output_storages) plan.storages[s].last = end;
  std::vector<size_t> order;
  for (size_t i = 0; i < plan.storages.size(); ++i) {
    Storage& s = plan.storages[i];
    if (s.kind == Storage::Kind::kConstant) continue;
    if (s.kind == Storage::Kind::kInput) s.first = -1;
    if (s.kind == Storage::Kind::kActivation && s.first < 0) continue;  // never written
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plan.storages[a].first < plan.storages[b].first;
  });
  // For each buffer, the last launch that still needs it.
  std::vector<long> busy_until;
  plan.buffer_bytes.clear();
  plan.unplanned_bytes = 0;
  for (size_t i : order) {
    Storage& s = plan.storages[i];
    const size_t bytes = std::max<size_t>(s.bytes, 4);  // OpenCL has no empty buffers
    plan.unplanned_bytes += bytes;
    // Best fit among free buffers: the smallest that holds it, else the largest to grow.
    size_t pick = kNone;
    for (size_t b = 0; b < busy_until.size(); ++b) {
      if (busy_until[b] >= s.first) continue;
      if (pick == kNone) {
        pick = b;
        continue;
      }
      const bool fits = plan.buffer_bytes[b] >= bytes, pick_fits = plan.buffer_bytes[pick] >= bytes;
      if ((fits && (!pick_fits || plan.buffer_bytes[b] < plan.buffer_bytes[pick])) ||
          (!fits && !pick_fits && plan.buffer_bytes[b] > plan.buffer_bytes[pick]))
        pick = b;
    }
    if (pick == kNone) {
      pick = busy_until.size();
      busy_until.push_back(0);
      plan.buffer_bytes.push_back(0);
    }
    plan.buffer_bytes[pick] = std::max(plan.buffer_bytes[pick], bytes);
    busy_until[pick] = std::max(s.last, s.first);
    s.buffer = pick;
  }
}

}  // namespace infer::opencl
