#include "kernels/det.h"

#include <cmath>
#include <utility>
#include <vector>

namespace infer::cpu {

Shape det_shape(ShapeSpan x) {
  if (x.size() < 2 || x[x.size() - 1] != x[x.size() - 2]) {
    fail_input(str_cat("input must be [*, M, M], got ", shape_str(x)));
  }
  numel(x);
  return Shape(x.begin(), x.end() - 2);
}

template <typename T>
void det(const T* x, ShapeSpan x_shape, T* y) {
  const int64_t m = x_shape[x_shape.size() - 1];
  const int64_t batches = dims_product(x_shape, 0, x_shape.size() - 2);
  std::vector<double> a(static_cast<size_t>(m * m));
  auto at = [&](int64_t r, int64_t c) -> double& { return a[static_cast<size_t>(r * m + c)]; };
  for (int64_t b = 0; b < batches; ++b) {
    for (int64_t i = 0; i < m * m; ++i) {
      a[static_cast<size_t>(i)] = static_cast<double>(load(x[b * m * m + i]));
    }
    double d = 1;
    for (int64_t col = 0; col < m && d != 0; ++col) {
      int64_t pivot = col;
      for (int64_t r = col + 1; r < m; ++r) {
        if (std::fabs(at(r, col)) > std::fabs(at(pivot, col))) pivot = r;
      }
      if (at(pivot, col) == 0) {
        d = 0;
        break;
      }
      if (pivot != col) {
        for (int64_t c = 0; c < m; ++c) std::swap(at(pivot, c), at(col, c));
        d = -d;
      }
      d *= at(col, col);
      for (int64_t r = col + 1; r < m; ++r) {
        const double f = at(r, col) / at(col, col);
        for (int64_t c = col; c < m; ++c) at(r, c) -= f * at(col, c);
      }
    }
    y[b] = store<T>(static_cast<compute_t<T>>(d));
  }
}

template void det<float>(const float*, ShapeSpan, float*);
template void det<double>(const double*, ShapeSpan, double*);
template void det<Float16>(const Float16*, ShapeSpan, Float16*);
template void det<BFloat16>(const BFloat16*, ShapeSpan, BFloat16*);

}  // namespace infer::cpu
