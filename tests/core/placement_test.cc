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

// Claims every node as one fusable group: all of them or none.
infer_status* ClaimAllAsOneGroup(void*, const infer_graph*, const size_t* nodes, size_t n,
                                 infer_capability* cap) {
  for (size_t i = 0; i < n; ++i) HostApi()->capability_claim(cap, nodes[i], 7);
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

PlacementOptions EveryIsland() {
  PlacementOptions o;
  o.min_partition_size = 1;
  return o;
}

TEST_F(PlacementTest, OneBackendGivesOnePartition) {
  auto p = PlaceGraph(g_, {&general_}, {});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->partitions.size(), 1u);
  EXPECT_EQ(p->partitions[0].nodes.size(), 3u);
  EXPECT_EQ(p->partitions[0].inputs, (std::vector<size_t>{0}));
  EXPECT_EQ(p->partitions[0].outputs, (std::vector<size_t>{3}));
  EXPECT_TRUE(p->copies.empty());
  EXPECT_TRUE(p->fallback_nodes.empty());
}

TEST_F(PlacementTest, FirstClaimWinsWithCopiesAtBoundaries) {
  auto p = PlaceGraph(g_, {&narrow_, &general_}, EveryIsland());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->partitions.size(), 3u);
  EXPECT_EQ(p->partitions[0].backend, &narrow_);
  EXPECT_EQ(p->partitions[1].backend, &general_);
  EXPECT_EQ(p->partitions[1].inputs, (std::vector<size_t>{1}));
  EXPECT_EQ(p->partitions[1].outputs, (std::vector<size_t>{2}));
  ASSERT_EQ(p->refusals.size(), 1u);
  EXPECT_EQ(p->refusals[0].reason, "no kernel for Special");
  // narrow -> general -> narrow: two copies, each read through its own slot.
  ASSERT_EQ(p->copies.size(), 2u);
  EXPECT_EQ(p->copies[0].value, 1u);
  EXPECT_EQ(p->copies[0].bytes, 16);
  EXPECT_EQ(p->partitions[1].input_slots, (std::vector<size_t>{g_.value_count()}));
  EXPECT_EQ(p->slot_count, g_.value_count() + 2);
  // partition, copy, partition, copy, partition
  ASSERT_EQ(p->steps.size(), 5u);
  EXPECT_EQ(p->steps[1].kind, Placement::StepKind::kCopy);
  EXPECT_EQ(p->fallback_nodes, (std::vector<size_t>{1}));
  const std::string line = DescribeFallback(g_, *p);
  EXPECT_NE(line.find("1 node(s) fall back from narrow to general (1)"), std::string::npos) << line;
  EXPECT_NE(line.find("'n1' (Special): no kernel for Special"), std::string::npos) << line;
}

TEST_F(PlacementTest, IslandsBelowTheMinimumMoveToTheNextBackend) {
  auto p = PlaceGraph(g_, {&narrow_, &general_}, {});  // default minimum: 3
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->partitions.size(), 1u);
  EXPECT_EQ(p->partitions[0].backend, &general_);
  EXPECT_TRUE(p->copies.empty());
  ASSERT_EQ(p->refusals.size(), 3u);
  EXPECT_NE(
      p->refusals[0].reason.find("island of 1 node(s) and 0 MACs (placement.min_partition_size=3"),
      std::string::npos)
      << p->refusals[0].reason;
}

TEST_F(PlacementTest, AWholeGraphIsNeverAnIsland) {
  narrow_ops_.insert("Special");
  PlacementOptions o;
  o.min_partition_size = 5;  // more than the graph has, but moving it saves no copy
  auto p = PlaceGraph(g_, {&narrow_, &general_}, o);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->partitions.size(), 1u);
  EXPECT_EQ(p->partitions[0].backend, &narrow_);
  EXPECT_TRUE(p->refusals.empty());
}

TEST_F(PlacementTest, PinsExcludesAndTheirErrors) {
  PlacementOptions o = EveryIsland();
  o.pins = {{"n0", "general"}};
  auto p = PlaceGraph(g_, {&narrow_, &general_}, o);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->partitions[0].backend, &general_);
  EXPECT_EQ(p->fallback_nodes, (std::vector<size_t>{1}));  // a pin is not a fallback

  o.pins = {{"op:Special", "narrow"}};
  p = PlaceGraph(g_, {&narrow_, &general_}, o);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("pinned to 'narrow', which cannot run it: no kernel"),
            std::string::npos)
      << p.status();

  o.pins.clear();
  o.excludes = {{"op:Relu", "general"}, {"op:Relu", "narrow"}};
  p = PlaceGraph(g_, {&narrow_, &general_}, o);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("excluded by placement.exclude"), std::string::npos)
      << p.status();

  o.excludes = {{"missing", "general"}};
  p = PlaceGraph(g_, {&narrow_, &general_}, o);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("no node named 'missing'"), std::string::npos);
}

TEST_F(PlacementTest, AFusableGroupIsPlacedWholeOrNotAtAll) {
  infer_backend_api grouped = MakeTable();
  grouped.get_capability = ClaimAllAsOneGroup;
  PluginRecord fused;
  fused.name = "fused";
  fused.backend = &grouped;
  PlacementOptions o = EveryIsland();
  auto whole = PlaceGraph(g_, {&fused, &general_}, o);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(whole->partitions.size(), 1u);
  EXPECT_EQ(whole->partitions[0].backend, &fused);

  o.excludes = {{"n1", "fused"}};  // one member cannot go: none of them go
  auto split = PlaceGraph(g_, {&fused, &general_}, o);
  ASSERT_TRUE(split.ok()) << split.status();
  ASSERT_EQ(split->partitions.size(), 1u);
  EXPECT_EQ(split->partitions[0].backend, &general_);
  ASSERT_EQ(split->refusals.size(), 3u);
  EXPECT_EQ(split->refusals[0].reason, "its fusable group could not be placed whole");
}

TEST_F(PlacementTest, FallbackErrorNamesNodeAndReason) {
  PlacementOptions o;
  o.fallback = FallbackPolicy::kError;
  auto p = PlaceGraph(g_, {&narrow_, &general_}, o);
  ASSERT_FALSE(p.ok());
  const std::string msg(p.status().message());
  EXPECT_NE(msg.find("node 'n1'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cannot run on 'narrow': no kernel for Special"), std::string::npos) << msg;
}

TEST_F(PlacementTest, OptionsFromConfig) {
  infer_config cfg;
  cfg.values = {{"placement.fallback", "error"},
                {"placement.min_partition_size", "5"},
                {"placement.pin", "a=cpu; op:Softmax = npu_sim"}};
  auto o = PlacementOptions::FromConfig(&cfg);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->fallback, FallbackPolicy::kError);
  EXPECT_EQ(o->min_partition_size, 5u);
  ASSERT_EQ(o->pins.size(), 2u);
  EXPECT_EQ(o->pins[1], (std::pair<std::string, std::string>{"op:Softmax", "npu_sim"}));
  for (const auto& [key, bad] :
       std::vector<std::pair<std::string, std::string>>{{"placement.fallback", "sometimes"},
                                                        {"placement.min_partition_size", "0"},
                                                        {"placement.min_partition_size", "3x"},
                                                        {"placement.min_partition_macs", "-1"},
                                                        {"placement.exclude", "=cpu"}}) {
    infer_config c;
    c.values = {{key, bad}};
    auto r = PlacementOptions::FromConfig(&c);
    EXPECT_FALSE(r.ok()) << key << "=" << bad;
    EXPECT_NE(r.status().message().find(key), std::string::npos) << r.status();
  }
}

// x -> a(Relu) -> b(Special) -> d(Add); a -> c(Relu) -> d. With narrow first,
// d may not join a's partition: it would then feed b and wait for b.
TEST(PlacementGroupingTest, DiamondStaysAcyclic) {
  Graph g;
  const size_t x = *g.AddValue("x", INFER_DTYPE_FLOAT32, Shape::Of({4}));
  ASSERT_TRUE(g.AddInput(x).ok());
  auto add = [&](const char* op, const char* name, std::vector<size_t> in) {
    const size_t out = *g.AddValue(std::string(name) + "_out", INFER_DTYPE_FLOAT32, Shape::Of({4}));
    Node n;
    n.op_type = op;
    n.name = name;
    n.inputs = std::move(in);
    n.outputs = {out};
    EXPECT_TRUE(g.AddNode(std::move(n)).ok());
    return out;
  };
  const size_t a = add("Relu", "a", {x});
  const size_t b = add("Special", "b", {a});
  const size_t c = add("Relu", "c", {a});
  ASSERT_TRUE(g.AddOutput(add("Add", "d", {b, c})).ok());

  infer_backend_api table = MakeTable();
  std::set<std::string> narrow_ops{"Relu", "Add"}, general_ops{"Relu", "Special", "Add"};
  PluginRecord narrow, general;
  narrow.name = "narrow";
  narrow.backend = &table;
  narrow.state = &narrow_ops;
  general.name = "general";
  general.backend = &table;
  general.state = &general_ops;
  auto p = PlaceGraph(g, {&narrow, &general}, EveryIsland());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->partitions.size(), 3u);
  EXPECT_EQ(p->partitions[0].nodes.size(), 2u);  // a, c
  EXPECT_EQ(p->partitions[1].backend, &general);
  EXPECT_EQ(p->partitions[2].nodes.size(), 1u);  // d
  EXPECT_EQ(p->partitions[2].backend, &narrow);
}

TEST_F(PlacementTest, UnclaimedNodeErrorNamesNodeOpAndReason) {
  g_.SetOpset("", 13);
  auto p = PlaceGraph(g_, {&narrow_}, {});
  ASSERT_FALSE(p.ok());
  const std::string msg(p.status().message());
  EXPECT_NE(msg.find("'n1'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'Special'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("opset 13"), std::string::npos) << msg;
  EXPECT_NE(msg.find("narrow: no kernel for Special"), std::string::npos) << msg;
}

TEST_F(PlacementTest, NoBackendAtAll) {
  auto p = PlaceGraph(g_, {}, {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("no backend plugin is loaded"), std::string::npos);
}

}  // namespace
}  // namespace infer::core
