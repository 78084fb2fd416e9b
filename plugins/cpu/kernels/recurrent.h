// RNN, GRU and LSTM (ONNX opsets 7 to 22): one loop over time per direction and batch entry,
// honouring sequence_lens, initial states, peepholes, clip and the activation lists.
#ifndef INFER_PLUGINS_CPU_KERNELS_RECURRENT_H_
#define INFER_PLUGINS_CPU_KERNELS_RECURRENT_H_

#include <optional>
#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

// The activation functions ONNX allows in recurrent operators.
enum class ActivationKind {
  kRelu,
  kTanh,
  kSigmoid,
  kAffine,
  kLeakyRelu,
  kThresholdedRelu,
  kScaledTanh,
  kHardSigmoid,
  kElu,
  kSoftsign,
  kSoftplus,
};
struct Activation {
  ActivationKind kind = ActivationKind::kTanh;
  float alpha = 0, beta = 0;
};
// Parses an activation name (case-insensitive) or returns nullopt.
std::optional<ActivationKind> parse_activation(std::string_view name);
bool activation_takes_alpha(ActivationKind kind);
bool activation_takes_beta(ActivationKind kind);
// The ONNX defaults of alpha and beta (LeakyRelu 0.01, HardSigmoid 0.2 / 0.5, ...).
Activation default_activation(ActivationKind kind);

enum class RnnCell { kRnn, kGru, kLstm };
// Gates per cell: RNN 1, GRU 3 (z, r, h), LSTM 4 (i, o, f, c); activations per direction:
// RNN 1 (f), GRU 2 (f, g), LSTM 3 (f, g, h).
int64_t rnn_gates(RnnCell cell);
size_t rnn_activation_count(RnnCell cell);

struct RnnParams {
  RnnCell cell = RnnCell::kRnn;
  int64_t hidden_size = 0;  // 0: taken from R
  int64_t directions = 1;
  bool reverse = false;  // the single direction runs backwards
  // rnn_activation_count(cell) per direction, forward first.
  std::vector<Activation> activations;
  std::optional<float> clip;
  bool linear_before_reset = false;  // GRU
  bool input_forget = false;         // LSTM: couples the forget gate to the input gate
  bool batch_major = false;          // layout 1: X [batch, seq, input], states [batch, dirs, h]
};

struct RnnShapes {
  ShapeSpan x, w, r;
  std::optional<ShapeSpan> b = {}, sequence_lens = {}, initial_h = {}, initial_c = {}, p = {};
};

struct RnnPlan {
  int64_t seq = 0, batch = 0, input = 0, hidden = 0, directions = 1, gates = 1;
  Shape y_shape;      // [seq, dirs, batch, hidden] or [batch, seq, dirs, hidden]
  Shape state_shape;  // Y_h and Y_c: [dirs, batch, hidden] or [batch, dirs, hidden]
};
// Validates every shape against X, W and R and the attributes.
RnnPlan plan_rnn(const RnnParams& params, const RnnShapes& shapes);

template <typename T>
struct RnnData {
  const T *x = nullptr, *w = nullptr, *r = nullptr, *b = nullptr;
  const int32_t* sequence_lens = nullptr;  // values are checked against the sequence length
  const T *initial_h = nullptr, *initial_c = nullptr, *p = nullptr;
  T *y = nullptr, *y_h = nullptr, *y_c = nullptr;  // each may be null when not wanted
};
// Y is 0 past each batch entry's sequence length; Y_h and Y_c hold the states after its last
// step (the initial state for an empty sequence).
template <typename T>
void rnn(const RnnParams& params, const RnnPlan& plan, const RnnData<T>& data);
extern template void rnn<float>(const RnnParams&, const RnnPlan&, const RnnData<float>&);
extern template void rnn<double>(const RnnParams&, const RnnPlan&, const RnnData<double>&);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_RECURRENT_H_
