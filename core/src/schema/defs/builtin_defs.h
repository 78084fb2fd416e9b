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
std::vector<OpSchema> NormalizationSchemas();  // BatchNormalization, Softmax
std::vector<OpSchema> PassThroughSchemas();    // Identity, Dropout
std::vector<OpSchema> PoolSchemas();           // MaxPool, AveragePool, GlobalAveragePool
std::vector<OpSchema> TensorShapeSchemas();    // Flatten, Reshape, Concat, Transpose

using SchemaFamilyFn = std::vector<OpSchema> (*)();
inline constexpr SchemaFamilyFn kBuiltinFamilies[] = {
    ActivationSchemas,    ConstantSchemas,    ConvSchemas, ElementwiseSchemas, GemmMatMulSchemas,
    NormalizationSchemas, PassThroughSchemas, PoolSchemas, TensorShapeSchemas,
};

}  // namespace infer::core::defs
