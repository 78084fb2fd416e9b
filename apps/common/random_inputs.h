// Seeded random tensors for inputs the user did not give, shared by infer-run
// and infer-bench so both feed a model the same kind of data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cli.h"
#include "infer/infer.h"

namespace infer::app {

// Fills `data` (element count n) of `dtype` with reproducible values:
// floats in [-1, 1), integers in [0, 10), bools 0/1. Returns false for dtypes
// it cannot make.
bool FillRandom(infer_dtype dtype, void* data, size_t n, std::mt19937_64& rng);

// The shape to feed for a declared input of known rank: a dynamic dim takes
// its --dim value from `dims`; one without takes `missing`, or with no
// `missing` throws UsageError naming the dim (a guess would time the wrong
// problem).
std::vector<int64_t> InputShape(const infer_value_desc& desc,
                                const std::map<std::string, int64_t>& dims,
                                std::optional<int64_t> missing);

// A tensor of desc.dtype and `shape` filled by FillRandom; throws Failure for
// dtypes it cannot make.
TensorHandle RandomInput(const infer_value_desc& desc, const std::vector<int64_t>& shape,
                         std::mt19937_64& rng);

}  // namespace infer::app
