// Shape arithmetic, broadcasting and errors shared by the cpu kernels.
//
// Everything under kernels/ is host-free: plain functions on raw pointers and shapes, so that
// the tests can call them directly. Errors are thrown as infer::plugin::PluginError; the plugin
// turns them into an infer_status at the ABI edge and adds the node name.
#ifndef INFER_PLUGINS_CPU_KERNELS_COMMON_H_
#define INFER_PLUGINS_CPU_KERNELS_COMMON_H_

#include <cstdint>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "infer/plugin_cxx.hpp"
#include "kernels/dtype.h"

namespace infer::cpu {

using Shape = std::vector<int64_t>;
using ShapeSpan = std::span<const int64_t>;

template <typename... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

[[noreturn]] void fail(infer_status_code code, const std::string& message);
// Tensors given at run time that the operator cannot accept (shapes, values).
[[noreturn]] void fail_input(const std::string& message);
// Attributes that make the node itself invalid.
[[noreturn]] void fail_attr(const std::string& message);

// "[2,3,4]"
std::string shape_str(ShapeSpan shape);

// Arithmetic on sizes that come from untrusted models: overflow is an error, not UB.
int64_t checked_mul(int64_t a, int64_t b);
int64_t checked_add(int64_t a, int64_t b);
// Element count; rejects negative dimensions and overflow.
int64_t numel(ShapeSpan shape);
// Product of shape[begin, end).
int64_t dims_product(ShapeSpan shape, size_t begin, size_t end);
// Maps an axis in [-rank, rank-1] to [0, rank-1].
size_t normalize_axis(int64_t axis, size_t rank);

// Numpy multidirectional broadcasting of two shapes.
Shape broadcast_shapes(ShapeSpan a, ShapeSpan b);
// Strides (in elements) to read a dense tensor of shape `in` as if it had shape `out`
// (right-aligned, 0 on broadcast dimensions). `out` has at least the rank of `in`.
Shape broadcast_strides(ShapeSpan in, ShapeSpan out);

// Walks a dense tensor of shape `out` in row-major order while two inputs are read through the
// strides `sa`, `sb` (one entry per dimension of `out`). Dimensions are merged wherever both
// inputs stay linear, so fn(out_off, a_off, b_off, n, a_step, b_step) sees runs as long as
// possible: it handles out[out_off + j] for j < n, reading a[a_off + j * a_step] and likewise b.
template <typename Fn>
void for_each_broadcast_run(ShapeSpan out, ShapeSpan sa, ShapeSpan sb, Fn&& fn) {
  if (numel(out) == 0) return;
  Shape dims, da, db;  // merged dimensions, innermost first
  for (size_t i = out.size(); i-- > 0;) {
    if (out[i] == 1) continue;
    if (!dims.empty() && da.back() * dims.back() == sa[i] && db.back() * dims.back() == sb[i]) {
      dims.back() *= out[i];
    } else {
      dims.push_back(out[i]);
      da.push_back(sa[i]);
      db.push_back(sb[i]);
    }
  }
  if (dims.empty()) {
    fn(int64_t{0}, int64_t{0}, int64_t{0}, int64_t{1}, int64_t{0}, int64_t{0});
    return;
  }
  const int64_t run = dims[0];
  const int64_t runs = numel(out) / run;
  Shape index(dims.size(), 0);
  int64_t out_off = 0, a_off = 0, b_off = 0;
  for (int64_t r = 0; r < runs; ++r, out_off += run) {
    fn(out_off, a_off, b_off, run, da[0], db[0]);
    for (size_t d = 1; d < dims.size(); ++d) {  // odometer over the outer dimensions
      a_off += da[d];
      b_off += db[d];
      if (++index[d] < dims[d]) break;
      a_off -= da[d] * dims[d];
      b_off -= db[d] * dims[d];
      index[d] = 0;
    }
  }
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_COMMON_H_
