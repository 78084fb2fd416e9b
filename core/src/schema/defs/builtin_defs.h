// The built-in ONNX operator families. Each defs/*.cc file defines one
// function returning its schemas (every since-version from the one in force at
// opset 7 up to opset 21); SchemaRegistry::WithBuiltins registers them in the
// order listed here. Adding an operator family means one new file and one line
// in each list below; there are no static initialisers.
#pragma once

#include <vector>

#include "schema/op_schema.h"

namespace infer::core::defs {

std::vector<OpSchema> ActivationSchemas();     // Relu, Sigmoid, Tanh, Clip
std::vector<OpSchema> ConstantSchemas();       // Constant
std::vector<OpSchema> ConvSchemas();           // Conv
std::vector<OpSchema> ElementwiseSchemas();    // Add, Sub, Mul, Div
std::vector<OpSchema> GemmMatMulSchemas();     // Gemm, MatMul
std::vector<OpSchema> NormalizationSchemas();  // BatchNormalization, Softmax, LogSoftmax, Hardmax
std::vector<OpSchema> PassThroughSchemas();    // Identity, Dropout
std::vector<OpSchema> PoolSchemas();  // MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool
std::vector<OpSchema> TensorShapeSchemas();    // Flatten, Reshape, Concat, Transpose
std::vector<OpSchema> ShapeSizeSchemas();      // Shape, Size
std::vector<OpSchema> GatherSchemas();         // Gather, GatherElements
std::vector<OpSchema> SqueezeSchemas();        // Squeeze, Unsqueeze
std::vector<OpSchema> SliceSchemas();          // Slice
std::vector<OpSchema> CastSchemas();           // Cast, CastLike
std::vector<OpSchema> LogicalSchemas();        // Equal, Less, ..., And, Or, Xor, Not, Where
std::vector<OpSchema> ExpandTileSchemas();     // Expand, Tile
std::vector<OpSchema> GeneratorSchemas();      // ConstantOfShape, Range
std::vector<OpSchema> UnaryMathSchemas();      // Erf, Sqrt, Exp, Log, Neg, Abs, ..., Pow
std::vector<OpSchema> ActivationExtSchemas();  // HardSigmoid, HardSwish, LeakyRelu, ..., PRelu
std::vector<OpSchema> LayerNormSchemas();      // LayerNormalization, InstanceNormalization, LRN
std::vector<OpSchema> ReduceSchemas();         // Reduce*, ArgMax, ArgMin
std::vector<OpSchema> RecurrentSchemas();      // RNN, GRU, LSTM
std::vector<OpSchema> PadSchemas();            // Pad
std::vector<OpSchema> SplitSchemas();          // Split
std::vector<OpSchema> VariadicSchemas();       // Max, Min, Sum, Mean
std::vector<OpSchema> ResizeSchemas();         // Resize, Upsample
std::vector<OpSchema> TopKSchemas();           // TopK
std::vector<OpSchema> QuantizationSchemas();   // Quantize/DequantizeLinear, QLinear*, *Integer

using SchemaFamilyFn = std::vector<OpSchema> (*)();
inline constexpr SchemaFamilyFn kBuiltinFamilies[] = {
    ActivationSchemas,  ConstantSchemas,      ConvSchemas,          ElementwiseSchemas,
    GemmMatMulSchemas,  NormalizationSchemas, PassThroughSchemas,   PoolSchemas,
    TensorShapeSchemas, ShapeSizeSchemas,     GatherSchemas,        SqueezeSchemas,
    SliceSchemas,       CastSchemas,          LogicalSchemas,       ExpandTileSchemas,
    GeneratorSchemas,   UnaryMathSchemas,     ActivationExtSchemas, LayerNormSchemas,
    ReduceSchemas,      RecurrentSchemas,     PadSchemas,           SplitSchemas,
    VariadicSchemas,    TopKSchemas,          ResizeSchemas,        QuantizationSchemas,
};

}  // namespace infer::core::defs
