#include "kernels/elementwise.h"

namespace infer::cpu {

Shape broadcast_all(std::span<const ShapeSpan> shapes) {
  Shape out;
  for (ShapeSpan s : shapes) out = broadcast_shapes(out, s);
  return out;
}

}  // namespace infer::cpu
