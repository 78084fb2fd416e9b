// Seeded random tensors for inputs the user did not give.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "infer/infer.h"

namespace infer::app {

// Fills `data` (element count n) of `dtype` with reproducible values:
// floats in [-1, 1), integers in [0, 10), bools 0/1. Returns false for dtypes
// it cannot make.
bool FillRandom(infer_dtype dtype, void* data, size_t n, std::mt19937_64& rng);

}  // namespace infer::app
