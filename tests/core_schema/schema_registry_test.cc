#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schema/defs/builtin_defs.h"
#include "schema/op_schema.h"

namespace infer::core {
namespace {

using ::testing::HasSubstr;

int64_t SinceOf(const SchemaRegistry& r, std::string_view op, int64_t opset) {
  const OpSchema* s = r.Find("", op, opset);
  return s == nullptr ? 0 : s->since_version;
}

TEST(SchemaRegistryTest, FindPicksNewestSchemaNotAfterOpset) {
  const SchemaRegistry r = SchemaRegistry::WithBuiltins();
  EXPECT_EQ(SinceOf(r, "Softmax", 7), 1);
  EXPECT_EQ(SinceOf(r, "Softmax", 11), 11);
  EXPECT_EQ(SinceOf(r, "Softmax", 12), 11);
  EXPECT_EQ(SinceOf(r, "Softmax", 13), 13);
  EXPECT_EQ(SinceOf(r, "Softmax", 21), 13);
  EXPECT_NE(r.Find("", "Softmax", 11), r.Find("", "Softmax", 13));
  EXPECT_EQ(SinceOf(r, "Relu", 7), 6);
  EXPECT_EQ(SinceOf(r, "Relu", 14), 14);
  EXPECT_EQ(SinceOf(r, "MaxPool", 9), 8);
  EXPECT_EQ(SinceOf(r, "Reshape", 18), 14);
  EXPECT_EQ(SinceOf(r, "AveragePool", 21), 19);
  EXPECT_EQ(SinceOf(r, "Add", 6), 0);  // before the first registered version
  EXPECT_EQ(r.Find("", "NoSuchOp", 13), nullptr);
  // "ai.onnx" is the default domain.
  EXPECT_EQ(r.Find("ai.onnx", "Conv", 13), r.Find("", "Conv", 13));
  EXPECT_EQ(r.Find("com.example", "Conv", 13), nullptr);
}

TEST(SchemaRegistryTest, CoversTheFirstIssueOps) {
  const SchemaRegistry r = SchemaRegistry::WithBuiltins();
  for (const char* op : {"Conv",
                         "Relu",
                         "MaxPool",
                         "AveragePool",
                         "GlobalAveragePool",
                         "BatchNormalization",
                         "Gemm",
                         "MatMul",
                         "Add",
                         "Mul",
                         "Flatten",
                         "Reshape",
                         "Concat",
                         "Softmax",
                         "Identity",
                         "Sub",
                         "Div",
                         "Sigmoid",
                         "Tanh",
                         "Clip",
                         "Transpose",
                         "Constant",
                         "Dropout"}) {
    for (int64_t opset = 7; opset <= 21; ++opset) {
      EXPECT_NE(r.Find("", op, opset), nullptr) << op << " at opset " << opset;
    }
  }
}

TEST(SchemaRegistryTest, EveryBuiltinRegistersCleanly) {
  // WithBuiltins only logs rejected schemas; register each one here to fail.
  SchemaRegistry r;
  size_t total = 0;
  for (defs::SchemaFamilyFn family : defs::kBuiltinFamilies) {
    for (OpSchema& s : family()) {
      const std::string name = SchemaName(s);
      EXPECT_TRUE(s.infer) << name << " has no shape function";
      EXPECT_FALSE(s.doc.empty()) << name;
      EXPECT_TRUE(r.Register(std::move(s)).ok()) << name;
      ++total;
    }
  }
  EXPECT_EQ(r.size(), total);
  EXPECT_EQ(SchemaRegistry::WithBuiltins().size(), total);
  EXPECT_EQ(r.AllSchemas().size(), total);
}

TEST(SchemaRegistryTest, SchemasFollowOnnxVersions) {
  const SchemaRegistry r = SchemaRegistry::WithBuiltins();
  const OpSchema* maxpool7 = r.Find("", "MaxPool", 7);
  const OpSchema* maxpool12 = r.Find("", "MaxPool", 12);
  ASSERT_NE(maxpool7, nullptr);
  ASSERT_NE(maxpool12, nullptr);
  EXPECT_EQ(maxpool7->outputs.size(), 1u);
  ASSERT_EQ(maxpool12->outputs.size(), 2u);
  EXPECT_EQ(maxpool12->outputs[1].kind, FormalParameter::Kind::kOptional);
  EXPECT_EQ(r.Find("", "BatchNormalization", 9)->outputs.size(), 5u);
  EXPECT_EQ(r.Find("", "BatchNormalization", 15)->outputs.size(), 3u);
  EXPECT_EQ(r.Find("", "Gemm", 9)->inputs[2].kind, FormalParameter::Kind::kSingle);
  EXPECT_EQ(r.Find("", "Gemm", 11)->inputs[2].kind, FormalParameter::Kind::kOptional);
  EXPECT_EQ(r.Find("", "Clip", 10)->inputs.size(), 1u);
  EXPECT_EQ(r.Find("", "Clip", 11)->inputs.size(), 3u);
  EXPECT_EQ(r.Find("", "Concat", 13)->inputs[0].kind, FormalParameter::Kind::kVariadic);
  // Reshape's shape input has the fixed type tensor(int64).
  const OpSchema* reshape = r.Find("", "Reshape", 14);
  ASSERT_NE(reshape, nullptr);
  EXPECT_EQ(reshape->inputs[1].type_constraint, "tensor(int64)");
  auto has_attr = [](const OpSchema* s, std::string_view name) {
    for (const AttributeSpec& a : s->attributes) {
      if (a.name == name) return true;
    }
    return false;
  };
  EXPECT_FALSE(has_attr(r.Find("", "Reshape", 13), "allowzero"));
  EXPECT_TRUE(has_attr(reshape, "allowzero"));
  EXPECT_TRUE(has_attr(r.Find("", "AveragePool", 7), "count_include_pad"));
  EXPECT_FALSE(has_attr(r.Find("", "AveragePool", 18), "dilations"));
  EXPECT_TRUE(has_attr(r.Find("", "AveragePool", 19), "dilations"));
}

OpSchema MyOp(int64_t since) {
  return OpSchema{.domain = "com.example",
                  .op_type = "MyOp",
                  .since_version = since,
                  .inputs = {{"X", "T"}},
                  .outputs = {{"Y", "T"}},
                  .type_constraints = {{"T", {INFER_DTYPE_FLOAT32}}}};
}

TEST(SchemaRegistryTest, RegisterCustomDomainAndRejectDuplicates) {
  SchemaRegistry r;
  ASSERT_TRUE(r.Register(MyOp(1)).ok());
  ASSERT_TRUE(r.Register(MyOp(3)).ok());
  absl::Status dup = r.Register(MyOp(3));
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.message(), HasSubstr("com.example.MyOp-3"));
  EXPECT_EQ(r.Find("com.example", "MyOp", 2)->since_version, 1);
  EXPECT_EQ(r.Find("com.example", "MyOp", 5)->since_version, 3);
  EXPECT_EQ(r.Find("", "MyOp", 5), nullptr);
  EXPECT_EQ(r.size(), 2u);
}

TEST(SchemaRegistryTest, RegisterValidatesSchemas) {
  OpSchema bad_type = MyOp(1);
  bad_type.inputs[0].type_constraint = "U";
  EXPECT_THAT(SchemaRegistry().Register(bad_type).message(),
              HasSubstr("neither a constraint nor a tensor type"));
  OpSchema variadic = MyOp(1);
  variadic.inputs = {{"xs", "T", FormalParameter::Kind::kVariadic}, {"y", "T"}};
  EXPECT_THAT(SchemaRegistry().Register(variadic).message(), HasSubstr("not the last one"));
  OpSchema attrs = MyOp(1);
  attrs.attributes = {{"a", INFER_ATTR_INT}, {"a", INFER_ATTR_FLOAT}};
  EXPECT_THAT(SchemaRegistry().Register(attrs).message(), HasSubstr("declared twice"));
  OpSchema since = MyOp(0);
  EXPECT_FALSE(SchemaRegistry().Register(since).ok());
}

}  // namespace
}  // namespace infer::core
