// Placement with in-process backend tables: the scheduler only sees the ABI
// tables, so static functions stand in for loaded libraries here. Loading
// real libraries is covered by the integration tests.
#include "runtime/placement.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "plugin/abi_objects.h"

namespace infer::core {
namespace {

// Each fake backend claims the op types in its state (a std::set<string>*).
infer_status* ClaimListed(void* state, const infer_graph* g, const size_t* nodes, size_t n,
                          infer_capability* cap) {
  const auto* ops = static_cast<const std::set<std::string>*>(state);
  for (size_t i = 0; i < n; ++i) {
    const std::string op = HostApi()->node_op_type(g, nodes[i]);
    if (ops->contains(op)) {
      HostApi()->capability_claim(cap, nodes[i], 0);
    } else {
      HostApi()->capability_refuse(cap, nodes[i], ("no kernel for " + op).c_str());
    }
  }
  return nullptr;
}

infer_backend_api MakeTable() {
  infer_backend_api t{};
  t.struct_size = sizeof(t);
  t.device = "fake";
  t.get_capability = ClaimListed;
  return t;
}

class PlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // x -> Relu -> Special -> Relu -> y
    size_t prev = *g_.AddValue("x", INFER_DTYPE_FLOAT32, Shape::Of({4}));
    ASSERT_TRUE(g_.AddInput(prev).ok());
    const char* ops[] = {"Relu", "Special", "Relu"};
    const char* values[] = {"v0", "v1", "v2"};
    const char* names[] = {"n0", "n1", "n2"};
    for (int i = 0; i < 3; ++i) {
      size_t next = *g_.AddValue(values[i], INFER_DTYPE_FLOAT32, Shape::Of({4}));
      Node n;
      n.op_type = ops[i];
      n.name = names[i];
      n.inputs = {prev};
      n.outputs = {next};
      ASSERT_TRUE(g_.AddNode(std::move(n)).ok());
      prev = next;
    }
    ASSERT_TRUE(g_.AddOutput(prev).ok());
    table_ = MakeTable();
    general_.name = "general";
    general_.backend = &table_;
    general_.state = &general_ops_;
    narrow_.name = "narrow";
    narrow_.backend = &table_;
    narrow_.state = &narrow_ops_;
  }

  Graph g_;
  infer_backend_api table_{};
  std::set<std::string> general_ops_{"Relu", "Special"};
  std::set<std::string> narrow_ops_{"Relu"};
  PluginRecord general_, narrow_;
};

TEST_F(PlacementTest, OneBackendGivesOnePartition) {
  auto p = PlaceGraph(g_, {&general_});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->partitions.size(), 1u);
  EXPECT_EQ(p->partitions[0].nodes.size(), 3u);
  EXPECT_EQ(p->partitions[0].inputs, (std::vector<size_t>{0}));
  EXPECT_EQ(p->partitions[0].outputs, (std::vector<size_t>{3}));
}

TEST_F(PlacementTest, FirstClaimWinsAndBoundariesAreCut) {
  auto p = PlaceGraph(g_, {&narrow_, &general_});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->partitions.size(), 3u);
  EXPECT_EQ(p->partitions[0].backend, &narrow_);
  EXPECT_EQ(p->partitions[1].backend, &general_);
  EXPECT_EQ(p->partitions[1].inputs, (std::vector<size_t>{1}));
  EXPECT_EQ(p->partitions[1].outputs, (std::vector<size_t>{2}));
  ASSERT_EQ(p->refusals.size(), 1u);
  EXPECT_EQ(p->refusals[0].reason, "no kernel for Special");
  EXPECT_NE(DescribePlacement(g_, *p).find("refused by narrow"), std::string::npos);
}

TEST_F(PlacementTest, UnclaimedNodeErrorNamesNodeOpAndReason) {
  g_.SetOpset("", 13);
  auto p = PlaceGraph(g_, {&narrow_});
  ASSERT_FALSE(p.ok());
  const std::string msg(p.status().message());
  EXPECT_NE(msg.find("'n1'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'Special'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("opset 13"), std::string::npos) << msg;
  EXPECT_NE(msg.find("narrow: no kernel for Special"), std::string::npos) << msg;
}

TEST_F(PlacementTest, NoBackendAtAll) {
  auto p = PlaceGraph(g_, {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("no backend plugin is loaded"), std::string::npos);
}

}  // namespace
}  // namespace infer::core
