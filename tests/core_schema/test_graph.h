// A small graph builder for the schema tests: values are named, shapes are
// written as S({"batch", 3, 224, 224}), nodes as Op("Conv", {...}, {...}).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "ir/graph.h"
#include "ir/tensor.h"
#include "schema/op_schema.h"

namespace infer::core::testing {

// One dimension in a test shape: a size, a symbol, or "?" for anonymous.
struct D {
  Dim dim;
  D(int v) : dim{v, ""} {}      // NOLINT: implicit on purpose, for S({1, 2})
  D(int64_t v) : dim{v, ""} {}  // NOLINT
  D(const char* s) : dim{INFER_DIM_DYNAMIC, std::string(s) == "?" ? "" : s} {}  // NOLINT
};

inline Shape S(std::initializer_list<D> dims) {
  Shape s;
  s.rank_known = true;
  for (const D& d : dims) s.dims.push_back(d.dim);
  return s;
}

// A node under construction; names resolve to values when it is added.
class Op {
 public:
  Op(std::string op_type, std::vector<std::string> inputs, std::vector<std::string> outputs)
      : inputs_(std::move(inputs)), outputs_(std::move(outputs)) {
    node_.op_type = std::move(op_type);
    node_.name = node_.op_type + "_" + (outputs_.empty() ? "" : outputs_[0]);
  }
  Op&& Name(std::string name) && {
    node_.name = std::move(name);
    return std::move(*this);
  }
  Op&& Domain(std::string domain) && {
    node_.domain = std::move(domain);
    return std::move(*this);
  }
  Op&& Int(const std::string& name, int64_t v) && {
    Attribute& a = node_.SetAttribute(name);
    a.type = INFER_ATTR_INT;
    a.i = v;
    return std::move(*this);
  }
  Op&& Float(const std::string& name, float v) && {
    Attribute& a = node_.SetAttribute(name);
    a.type = INFER_ATTR_FLOAT;
    a.f = v;
    return std::move(*this);
  }
  Op&& Ints(const std::string& name, std::vector<int64_t> v) && {
    Attribute& a = node_.SetAttribute(name);
    a.type = INFER_ATTR_INTS;
    a.ints = std::move(v);
    return std::move(*this);
  }
  Op&& Str(const std::string& name, std::string v) && {
    Attribute& a = node_.SetAttribute(name);
    a.type = INFER_ATTR_STRING;
    a.s = std::move(v);
    return std::move(*this);
  }
  Op&& TensorAttr(const std::string& name, TensorPtr t) && {
    Attribute& a = node_.SetAttribute(name);
    a.type = INFER_ATTR_TENSOR;
    a.tensor = std::move(t);
    return std::move(*this);
  }

 private:
  friend class TestGraph;
  Node node_;
  std::vector<std::string> inputs_;
  std::vector<std::string> outputs_;
};

class TestGraph {
 public:
  explicit TestGraph(int64_t opset = 13) { graph_.SetOpset("", opset); }

  Graph& graph() { return graph_; }

  // A graph input with a declared type and shape.
  TestGraph& Input(const std::string& name, Shape shape, infer_dtype dtype = INFER_DTYPE_FLOAT32) {
    auto id = graph_.AddValue(name, dtype, std::move(shape));
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(graph_.AddInput(*id).ok());
    return *this;
  }
  // A zero-filled initializer.
  TestGraph& Weight(const std::string& name, std::vector<int64_t> dims,
                    infer_dtype dtype = INFER_DTYPE_FLOAT32) {
    auto t = Tensor::Allocate(dtype, std::move(dims));
    EXPECT_TRUE(t.ok()) << t.status();
    EXPECT_TRUE(graph_.AddInitializer(name, *t).ok());
    return *this;
  }
  // A 1-D int64 initializer holding `data` (Reshape shapes).
  TestGraph& Int64s(const std::string& name, std::vector<int64_t> data) {
    auto t = Tensor::Copy(INFER_DTYPE_INT64, {static_cast<int64_t>(data.size())}, data.data(),
                          data.size() * sizeof(int64_t));
    EXPECT_TRUE(t.ok()) << t.status();
    EXPECT_TRUE(graph_.AddInitializer(name, *t).ok());
    return *this;
  }
  // An int64 initializer of any shape (scalars: dims {}).
  TestGraph& Int64Tensor(const std::string& name, std::vector<int64_t> dims,
                         std::vector<int64_t> data) {
    auto t = Tensor::Copy(INFER_DTYPE_INT64, std::move(dims), data.data(),
                          data.size() * sizeof(int64_t));
    EXPECT_TRUE(t.ok()) << t.status();
    EXPECT_TRUE(graph_.AddInitializer(name, *t).ok());
    return *this;
  }
  // A value declared in value_info or as a graph output.
  TestGraph& Declare(const std::string& name, Shape shape, infer_dtype dtype = INFER_DTYPE_FLOAT32,
                     bool graph_output = false) {
    auto id = graph_.AddValue(name, dtype, std::move(shape));
    EXPECT_TRUE(id.ok()) << id.status();
    if (graph_output) {
      EXPECT_TRUE(graph_.AddOutput(*id).ok());
    }
    return *this;
  }
  // Adds a node; output values are created on first use; "" is an absent
  // optional input or output.
  TestGraph& Add(Op op) {
    for (const std::string& name : op.inputs_) op.node_.inputs.push_back(Resolve(name, false));
    for (const std::string& name : op.outputs_) op.node_.outputs.push_back(Resolve(name, true));
    auto id = graph_.AddNode(std::move(op.node_));
    EXPECT_TRUE(id.ok()) << id.status();
    return *this;
  }

  absl::Status Infer() { return InferGraphShapes(graph_, SchemaRegistry::WithBuiltins()); }

  const Value& V(const std::string& name) {
    auto id = graph_.FindValue(name);
    EXPECT_TRUE(id.has_value()) << name;
    return graph_.value(id.value_or(0));
  }
  std::string ShapeOf(const std::string& name) { return V(name).shape.ToString(); }
  // Infers the graph and returns the shape of "y", or the error message.
  std::string InferY() {
    absl::Status s = Infer();
    return s.ok() ? ShapeOf("y") : std::string(s.message());
  }

 private:
  size_t Resolve(const std::string& name, bool create) {
    if (name.empty()) return kNoValue;
    if (auto id = graph_.FindValue(name)) return *id;
    EXPECT_TRUE(create) << "unknown value " << name;
    auto id = graph_.AddValue(name, INFER_DTYPE_UNDEFINED, Shape::Unknown());
    return id.value_or(kNoValue);
  }

  Graph graph_;
};

}  // namespace infer::core::testing
