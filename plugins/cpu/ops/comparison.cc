// Broadcasting comparisons, with bool outputs.
#include "ops/binary.h"

namespace infer::cpu {

constinit const OpDesc kOpEqual = binary_desc<kNumeric | kBool, fn::Equal>("Equal");
constinit const OpDesc kOpGreater = binary_desc<kNumeric, fn::Greater>("Greater");
constinit const OpDesc kOpLess = binary_desc<kNumeric, fn::Less>("Less");
constinit const OpDesc kOpGreaterOrEqual =
    binary_desc<kNumeric, fn::GreaterOrEqual>("GreaterOrEqual");
constinit const OpDesc kOpLessOrEqual = binary_desc<kNumeric, fn::LessOrEqual>("LessOrEqual");

}  // namespace infer::cpu
