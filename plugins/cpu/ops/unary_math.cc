// Unary math operators without attributes (plus IsInf), one table entry each.
#include "ops/unary.h"

namespace infer::cpu {

constinit const OpDesc kOpAbs = unary_desc<kNumeric, fn::Abs>("Abs");
constinit const OpDesc kOpNeg = unary_desc<kFloats | kSignedInts, fn::Neg>("Neg");
constinit const OpDesc kOpSign = unary_desc<kNumeric, fn::Sign>("Sign");
constinit const OpDesc kOpExp = unary_desc<kFloats, fn::Exp>("Exp");
constinit const OpDesc kOpLog = unary_desc<kFloats, fn::Log>("Log");
constinit const OpDesc kOpSqrt = unary_desc<kFloats, fn::Sqrt>("Sqrt");
constinit const OpDesc kOpReciprocal = unary_desc<kFloats, fn::Reciprocal>("Reciprocal");
constinit const OpDesc kOpFloor = unary_desc<kFloats, fn::Floor>("Floor");
constinit const OpDesc kOpCeil = unary_desc<kFloats, fn::Ceil>("Ceil");
constinit const OpDesc kOpRound = unary_desc<kFloats, fn::Round>("Round");
constinit const OpDesc kOpSin = unary_desc<kFloats, fn::Sin>("Sin");
constinit const OpDesc kOpCos = unary_desc<kFloats, fn::Cos>("Cos");
constinit const OpDesc kOpTan = unary_desc<kFloats, fn::Tan>("Tan");
constinit const OpDesc kOpAsin = unary_desc<kFloats, fn::Asin>("Asin");
constinit const OpDesc kOpAcos = unary_desc<kFloats, fn::Acos>("Acos");
constinit const OpDesc kOpAtan = unary_desc<kFloats, fn::Atan>("Atan");
constinit const OpDesc kOpSinh = unary_desc<kFloats, fn::Sinh>("Sinh");
constinit const OpDesc kOpCosh = unary_desc<kFloats, fn::Cosh>("Cosh");
constinit const OpDesc kOpAsinh = unary_desc<kFloats, fn::Asinh>("Asinh");
constinit const OpDesc kOpAcosh = unary_desc<kFloats, fn::Acosh>("Acosh");
constinit const OpDesc kOpAtanh = unary_desc<kFloats, fn::Atanh>("Atanh");
constinit const OpDesc kOpErf = unary_desc<kNumeric, fn::Erf>("Erf");
constinit const OpDesc kOpSigmoid = unary_desc<kFloats, fn::Sigmoid>("Sigmoid");
constinit const OpDesc kOpTanh = unary_desc<kFloats, fn::Tanh>("Tanh");
constinit const OpDesc kOpSoftplus = unary_desc<kFloats, fn::Softplus>("Softplus");
constinit const OpDesc kOpSoftsign = unary_desc<kFloats, fn::Softsign>("Softsign");
constinit const OpDesc kOpIsNaN = unary_desc<kFloats, fn::IsNaN>("IsNaN");

namespace {

std::unique_ptr<Kernel> create_is_inf(const OpContext& ctx) {
  return make_unary<kFloats>(fn::IsInf{.positive = attr_bool(ctx, "detect_positive", true),
                                       .negative = attr_bool(ctx, "detect_negative", true)});
}

}  // namespace

constinit const OpDesc kOpIsInf = {
    .op_type = "IsInf", .input_dtypes = {kFloats}, .create = &create_is_inf};

}  // namespace infer::cpu
