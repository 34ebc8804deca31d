// Sequential<Layers...>: a chain of layers fixed at compile time, sized at run time.
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/distributed/communicator.hpp"
#include "gan/layer/concept.hpp"
#include "gan/net/concept.hpp"
#include "gan/net/tape.hpp"

namespace gan::net {

namespace detail {
/// The two buffers that carry output gradients down a backward pass when the tape does not
/// keep them. They are live only during one call, so every network of scalar T on the
/// calling thread shares them (one pair, not one per network type), and they only grow:
/// no allocation after the first step.
template <class T>
Tensor<T>& passing_buffer(std::size_t which) {
  thread_local Tensor<T> buffers[2];
  return buffers[which];
}
}  // namespace detail

/// A network made of layers applied in order. The layer types are fixed at compile time
/// (no virtual calls); their sizes are run-time values checked at construction, where a
/// mismatch throws gan::Error naming the two layers that do not fit.
///
/// The network owns one flat array of parameter values and one of gradients, and gives
/// each layer its slice (see layer/concept.hpp). Two networks whose gradients are never
/// needed at the same time, as G's and D's in a GAN step, may keep them in one array
/// (share_gradients); a copy always gets an array of its own.
///
/// Memory: a tape keeps a copy of a layer's output only where one is needed. A layer that
/// relabels its input (Flatten) passes a view of it; an element-wise layer that may run in
/// place (ReLU) after a layer that never reads its own output (Dense, Conv2d, BatchNorm)
/// overwrites that output, or, after a layer that applies it in its own pass (BatchNorm's
/// forward_leaky), has no forward pass at all; and the output gradients of a network that
/// has no penalty pass live only while backward runs, in two buffers of the calling thread
/// (detail::passing_buffer).
///
///     net::Sequential mlp(features(1, 784), layer::Dense<float>(784, 256),
///                         layer::LeakyReLU<float>(0.2), layer::Dense<float>(256, 1));
template <layer::Layer First, layer::Layer... Rest>
class Sequential {
 public:
  using Scalar = typename First::Scalar;
  static_assert((std::is_same_v<Scalar, typename Rest::Scalar> && ...),
                "Sequential: all layers must share one scalar type");
  static constexpr std::size_t depth = 1 + sizeof...(Rest);
  static constexpr bool twice_differentiable =
      layer::TwiceDifferentiable<First> && (layer::TwiceDifferentiable<Rest> && ...);
  /// Whether backward leaves every layer's output gradient in the tape: only the penalty
  /// pass reads them afterwards.
  static constexpr bool keeps_deltas = twice_differentiable;
  /// backward honours Grad::overwrite (net/concept.hpp).
  static constexpr bool overwrites_gradients = true;

  /// `input` is the shape of one sample (its batch size is ignored). Parameters are
  /// initialized from seed 0 (stream Stream::init); call initialize() to draw others.
  Sequential(Shape input, First first, Rest... rest)
      : m_layers(std::move(first), std::move(rest)...), m_input(input.with_batch(1)) {
    check_shapes();
    allocate();
    Rng rng(0, Stream::init);
    initialize(rng);
  }

  Sequential(const Sequential& o)
      : m_layers(o.m_layers),
        m_input(o.m_input),
        m_shapes(o.m_shapes),
        m_values(o.m_values),
        m_buffers(o.m_buffers),
        m_grads(own_copy(o)) {
    bind();
  }
  Sequential& operator=(const Sequential& o) {
    if (this != &o) {
      m_layers = o.m_layers;
      m_input = o.m_input;
      m_shapes = o.m_shapes;
      m_values = o.m_values;
      m_buffers = o.m_buffers;
      m_grads = own_copy(o);
      bind();
    }
    return *this;
  }
  Sequential(Sequential&& o) noexcept = default;  // moved buffers keep their addresses
  Sequential& operator=(Sequential&& o) noexcept = default;

  Shape input_shape(Index n) const { return m_input.with_batch(n); }
  Shape output_shape(Index n) const { return m_shapes.back().with_batch(n); }
  /// Output shape of layer i for batch n.
  Shape layer_output_shape(std::size_t i, Index n) const { return m_shapes[i].with_batch(n); }

  template <std::size_t I>
  auto& layer() {
    return std::get<I>(m_layers);
  }
  template <std::size_t I>
  const auto& layer() const {
    return std::get<I>(m_layers);
  }

  std::span<Scalar> parameters() { return m_values.span(); }
  std::span<const Scalar> parameters() const { return m_values.span(); }
  /// Empty for a moved-from network, which holds no gradient array.
  std::span<Scalar> gradients() {
    return m_grads ? m_grads->span().first(m_values.span().size()) : std::span<Scalar>{};
  }
  std::span<const Scalar> gradients() const {
    return m_grads ? m_grads->span().first(m_values.span().size()) : std::span<const Scalar>{};
  }
  std::span<Scalar> buffers() { return m_buffers.span(); }
  std::span<const Scalar> buffers() const { return m_buffers.span(); }
  Index parameter_count() const { return m_values.size(); }

  void zero_grad() { core::parallel_fill(gradients(), Scalar(0)); }

  /// The array this network keeps its gradients in, grown first to hold at least
  /// `at_least` values (the values it holds are kept). It may be given to other networks
  /// (use_gradients_of); it cannot grow once it is.
  std::shared_ptr<Tensor<Scalar>> gradient_array(Index at_least = 0) {
    if (!m_grads || m_grads->size() < at_least) {
      GAN_CHECK(m_grads.use_count() <= 1,
                "Sequential: a gradient array that other networks use cannot grow");
      auto bigger = std::make_shared<Tensor<Scalar>>(
          core::features(std::max(at_least, parameter_count()), 1));
      std::ranges::copy(gradients(), bigger->span().begin());
      m_grads = std::move(bigger);
      bind();
    }
    return m_grads;
  }
  /// Keeps this network's gradients in `array` (another network's gradient_array) from now
  /// on, at its start: the two networks overwrite each other's gradients, so only one of
  /// them may hold gradients that are still to be used at any time. The array lives as
  /// long as any network that uses it.
  void use_gradients_of(std::shared_ptr<Tensor<Scalar>> array) {
    GAN_CHECK(array && array->size() >= parameter_count(), "Sequential: a gradient array of ",
              array ? array->size() : 0, " values for ", parameter_count(), " parameters");
    m_grads = std::move(array);
    bind();
  }

  void initialize(Rng& rng) {
    for_each([&](auto& l, auto) { l.initialize(rng); });
  }

  /// Training mode (batch statistics) or evaluation mode (running statistics).
  void set_training(bool on) {
    for_each([&](auto& l, auto) {
      if constexpr (layer::HasTrainingMode<std::remove_cvref_t<decltype(l)>>) l.set_training(on);
    });
  }

  /// Data-parallel training: the batch statistics of the layers that have them (BatchNorm)
  /// are synchronized over the ranks of c, or each rank's own when c is null.
  void set_batch_communicator(distributed::Communicator* c) {
    for_each([&](auto& l, auto) {
      if constexpr (requires { l.set_communicator(c); }) l.set_communicator(c);
    });
  }

  /// One line a layer: position, name, output shape of one sample, parameter count.
  std::string describe() const {
    std::ostringstream s;
    s << "input " << m_input << '\n';
    for_each([&](const auto& l, auto i) {
      s << "  " << i() << ' ' << l.name() << " -> " << m_shapes[i()] << "  (" << l.parameter_count()
        << " parameters)\n";
    });
    s << "  total " << parameter_count() << " parameters\n";
    return s.str();
  }

  /// Runs the batch and keeps the activations in `tape`. Returns the network's output
  /// (a view into the tape).
  ConstView<Scalar> forward(ConstView<Scalar> x, Tape<Scalar>& tape) {
    GAN_CHECK(x.shape().same_sample(m_input), "network input: expected samples of shape ", m_input,
              ", got ", x.shape());
    tape.input = x;
    tape.outputs.resize(depth);
    tape.deltas.resize(depth);
    tape.curvature.resize(depth);
    for_each([&](auto& l, auto i) {
      constexpr Storage where = storage[i()];
      // A view needs no pass, nor an activation that the layer before it applied.
      if constexpr (where != Storage::view && !fused[i()]) {
        if constexpr (where == Storage::own)
          tape.outputs[i()].resize(m_shapes[i()].with_batch(x.n()));
        Tensor<Scalar>& y = tape.outputs[static_cast<std::size_t>(owner[i()])];
        TensorView<Scalar> out = y.view().reshaped(m_shapes[i()].with_batch(x.n()));
        constexpr std::size_t next = (i() + 1) % depth;
        if constexpr (i() + 1 < depth && fused[next] && leaky[next])
          l.forward_leaky(layer_input(tape, i()), out, std::get<next>(m_layers).slope());
        else if constexpr (i() + 1 < depth && fused[next])
          l.forward_tanh(layer_input(tape, i()), out);
        else
          l.forward(layer_input(tape, i()), out);
      }
    });
    return layer_output(tape, depth - 1);
  }

  /// The output of layer i in the last forward pass through `tape` (a view into the tape,
  /// or into the input for a layer that relabels it; a layer that ran in place has
  /// overwritten the output of the layer before it).
  ConstView<Scalar> layer_output(const Tape<Scalar>& tape, std::size_t i) const {
    const Shape s = m_shapes[i].with_batch(tape.input.n());
    if (owner[i] < 0) return tape.input.reshaped(s);
    return tape.outputs[static_cast<std::size_t>(owner[i])].view().reshaped(s);
  }

  /// From dy = ∂loss/∂output: the input gradient into dx (Grad::input) and/or the
  /// parameter gradients added to gradients() (Grad::parameters), or written over them
  /// (Grad::parameters | Grad::overwrite: each layer's write_grad, or its gradients zeroed
  /// and accumulate_grad where it has none). A network with a penalty pass (keeps_deltas)
  /// leaves each layer's output gradient in tape.deltas for it.
  void backward(Tape<Scalar>& tape, ConstView<Scalar> dy, TensorView<Scalar> dx, Grad what) {
    const Shape out = layer_output(tape, depth - 1).shape();
    GAN_CHECK(dy.shape() == out, "backward: output gradient of shape ", dy.shape(), " for output ",
              out);
    if (has(what, Grad::input)) {
      GAN_CHECK(dx.shape() == tape.input.shape(), "backward: input gradient of shape ", dx.shape(),
                " for input ", tape.input.shape());
    }
    ConstView<Scalar> d = dy;  // gradient with respect to the output of the current layer
    if constexpr (keeps_deltas) {
      tape.deltas.back().resize(dy.shape());
      tape.deltas.back().view().copy_from(dy);
      d = tape.deltas.back().view();
    }
    for_each_reverse([&](auto& l, auto i) {
      ConstView<Scalar> x = layer_input(tape, i());
      ConstView<Scalar> y = layer_output(tape, i());
      if (has(what, Grad::parameters)) parameter_gradient(l, i(), x, d, has(what, Grad::overwrite));
      if constexpr (i() > 0) {
        // Layer i reads d from one buffer and writes the previous gradient to the other.
        Tensor<Scalar>& prev =
            keeps_deltas ? tape.deltas[i() - 1] : detail::passing_buffer<Scalar>(i() % 2);
        prev.resize(x.shape());
        l.backward(x, y, d, prev.view());
        d = prev.view();
      } else if (has(what, Grad::input)) {
        l.backward(x, y, d, dx);
      }
    });
  }

  /// Second-order pass of a gradient penalty (DESIGN.md). Call after forward(x̂) and
  /// backward(dy = ∂D/∂out, Grad::input); u = ∂P/∂(input gradient), shaped like x̂. Adds
  /// ∂P/∂θ to gradients().
  void penalty_backward(Tape<Scalar>& tape, ConstView<Scalar> u) requires twice_differentiable {
    GAN_CHECK(u.shape() == tape.input.shape(), "penalty_backward: adjoint of shape ", u.shape(),
              " for input ", tape.input.shape());
    // Up the chain: the adjoint of each layer's output gradient, the parameter terms, and
    // the curvature terms ∂P/∂x of the layers whose input gradient depends on x.
    ConstView<Scalar> cur = u;
    for_each([&](auto& l, auto i) {
      using L = std::remove_cvref_t<decltype(l)>;
      Tensor<Scalar>& next = tape.adjoint[i() % 2];
      next.resize(layer_output(tape, i()).shape());
      TensorView<Scalar> curv;
      ConstView<Scalar> x = layer_input(tape, i());
      if constexpr (L::has_curvature) {
        tape.curvature[i()].resize(x.shape());
        curv = tape.curvature[i()].view();
      }
      l.backward_backward(x, layer_output(tape, i()), tape.deltas[i()].view(), cur, next.view(),
                          curv);
      cur = next.view();
    });
    carry_curvature(tape);
  }

 private:
  template <class F, std::size_t... Is>
  void for_each_impl(F&& f, std::index_sequence<Is...>) {
    (f(std::get<Is>(m_layers), std::integral_constant<std::size_t, Is>{}), ...);
  }
  template <class F, std::size_t... Is>
  void for_each_impl(F&& f, std::index_sequence<Is...>) const {
    (f(std::get<Is>(m_layers), std::integral_constant<std::size_t, Is>{}), ...);
  }
  template <class F, std::size_t... Is>
  void for_each_reverse_impl(F&& f, std::index_sequence<Is...>) {
    (f(std::get<depth - 1 - Is>(m_layers), std::integral_constant<std::size_t, depth - 1 - Is>{}),
     ...);
  }
  /// Calls f(layer, integral_constant<i>) for each layer, first to last.
  template <class F>
  void for_each(F&& f) {
    for_each_impl(f, std::make_index_sequence<depth>{});
  }
  template <class F>
  void for_each(F&& f) const {
    for_each_impl(f, std::make_index_sequence<depth>{});
  }
  /// The same, last to first.
  template <class F>
  void for_each_reverse(F&& f) {
    for_each_reverse_impl(f, std::make_index_sequence<depth>{});
  }

  ConstView<Scalar> layer_input(const Tape<Scalar>& tape, std::size_t i) const {
    return i == 0 ? tape.input : layer_output(tape, i - 1);
  }

  /// Where a layer's output lives: its own tensor in the tape, over the output of the
  /// layer before it (in place), or as a view of its input.
  enum class Storage { own, in_place, view };
  static constexpr std::array<Storage, depth> plan_storage() {
    constexpr bool relabels[] = {layer::Relabels<First>, layer::Relabels<Rest>...};
    constexpr bool in_place[] = {layer::InPlace<First>, layer::InPlace<Rest>...};
    constexpr bool output_unread[] = {layer::OutputUnread<First>, layer::OutputUnread<Rest>...};
    std::array<Storage, depth> where{};
    for (std::size_t i = 0; i < depth; ++i) {
      if (relabels[i])
        where[i] = Storage::view;
      else if (i > 0 && in_place[i] && where[i - 1] == Storage::own && output_unread[i - 1])
        where[i] = Storage::in_place;
      else
        where[i] = Storage::own;
    }
    return where;
  }
  static constexpr std::array<Storage, depth> storage = plan_storage();
  /// fused[i]: layer i is a LeakyRectifier (or a TanhActivation) running in place after a
  /// layer that applies it in its own forward pass (FusesLeakyReLU, FusesTanh), so it has
  /// no forward pass of its own.
  static constexpr bool leaky[] = {layer::LeakyRectifier<First>, layer::LeakyRectifier<Rest>...};
  static constexpr std::array<bool, depth> plan_fusion() {
    constexpr bool tanh[] = {layer::TanhActivation<First>, layer::TanhActivation<Rest>...};
    constexpr bool fuses_leaky[] = {layer::FusesLeakyReLU<First>, layer::FusesLeakyReLU<Rest>...};
    constexpr bool fuses_tanh[] = {layer::FusesTanh<First>, layer::FusesTanh<Rest>...};
    std::array<bool, depth> fused{};
    for (std::size_t i = 1; i < depth; ++i) {
      fused[i] = storage[i] == Storage::in_place &&
                 ((leaky[i] && fuses_leaky[i - 1]) || (tanh[i] && fuses_tanh[i - 1]));
    }
    return fused;
  }
  static constexpr std::array<bool, depth> fused = plan_fusion();
  /// owner[i]: the tape tensor that holds layer i's output, or -1 for the network's input.
  static constexpr std::array<int, depth> plan_owners() {
    std::array<int, depth> owner{};
    for (std::size_t i = 0; i < depth; ++i)
      owner[i] = storage[i] == Storage::own ? static_cast<int>(i) : i == 0 ? -1 : owner[i - 1];
    return owner;
  }
  static constexpr std::array<int, depth> owner = plan_owners();

  /// Position of the last layer with a curvature term, or -1.
  static constexpr int last_curved() {
    constexpr bool curved[] = {curved_layer<First>(), curved_layer<Rest>()...};
    int last = -1;
    for (int i = 0; i < static_cast<int>(depth); ++i)
      if (curved[i]) last = i;
    return last;
  }
  template <class L>
  static constexpr bool curved_layer() {
    if constexpr (layer::TwiceDifferentiable<L>)
      return L::has_curvature;
    else
      return false;
  }

  /// Carries the curvature terms ∂P/∂x_i, which reach the parameters of the layers before
  /// i through the forward pass, back down with one ordinary backward pass.
  void carry_curvature(Tape<Scalar>& tape) {
    constexpr int last = last_curved();
    if constexpr (last > 0) {
      ConstView<Scalar> a = tape.curvature[last].view();  // adjoint of outputs[last - 1]
      for_each_reverse([&](auto& l, auto i) {
        using L = std::remove_cvref_t<decltype(l)>;
        if constexpr (static_cast<int>(i()) < last) {
          ConstView<Scalar> x = layer_input(tape, i());
          l.accumulate_grad(x, a);
          if constexpr (i() > 0) {
            Tensor<Scalar>& b = tape.adjoint[i() % 2];
            b.resize(x.shape());
            l.backward(x, layer_output(tape, i()), a, b.view());
            if constexpr (L::has_curvature) b.array() += tape.curvature[i()].array();
            a = b.view();
          }
        }
      });
    }
  }

  void check_shapes() {
    m_shapes.clear();
    Shape s = m_input;
    std::string previous = "the network input";
    for_each([&](const auto& l, auto i) {
      try {
        s = l.output_shape(s);
      } catch (const Error& e) {
        core::fail("Sequential: layer ", i(), " ", l.name(), " does not fit ", previous,
                   " (samples of shape ", s.with_batch(1), "): ", e.what());
      }
      m_shapes.push_back(s);
      previous = core::detail::concat("the output of layer ", i(), " ", l.name());
    });
  }

  void allocate() {
    Index values = 0, buffers = 0;
    for_each([&](const auto& l, auto) {
      values += l.parameter_count();
      if constexpr (layer::HasBuffers<std::remove_cvref_t<decltype(l)>>)
        buffers += l.buffer_count();
    });
    m_values = Tensor<Scalar>(core::features(values, 1));
    m_grads = std::make_shared<Tensor<Scalar>>(core::features(values, 1));
    m_buffers = Tensor<Scalar>(core::features(buffers, 1));
    bind();
  }

  /// Layer i's parameter gradient from its input x and output gradient d: added to its
  /// gradients, or written over them.
  template <class L>
  void parameter_gradient(L& l, std::size_t i, ConstView<Scalar> x, ConstView<Scalar> d,
                          bool overwrite) {
    if (!overwrite) {
      l.accumulate_grad(x, d);
    } else if constexpr (layer::WritesGrad<L>) {
      l.write_grad(x, d);
    } else if (l.parameter_count() > 0) {
      std::fill_n(gradients().data() + parameter_offset(i), l.parameter_count(), Scalar(0));
      l.accumulate_grad(x, d);
    }
  }

  /// Where layer i's parameters start in the flat arrays.
  Index parameter_offset(std::size_t i) const {
    Index at = 0;
    for_each([&](const auto& l, auto j) {
      if (j() < i) at += l.parameter_count();
    });
    return at;
  }

  void bind() {
    Index at = 0, buffer_at = 0;
    for_each([&](auto& l, auto) {
      l.bind_parameters(m_values.data() + at, m_grads->data() + at);
      at += l.parameter_count();
      if constexpr (layer::HasBuffers<std::remove_cvref_t<decltype(l)>>) {
        l.bind_buffers(m_buffers.data() + buffer_at);
        buffer_at += l.buffer_count();
      }
    });
  }

  /// A gradient array of its own for a copy of `o`, holding o's gradients.
  static std::shared_ptr<Tensor<Scalar>> own_copy(const Sequential& o) {
    auto grads = std::make_shared<Tensor<Scalar>>(core::features(o.parameter_count(), 1));
    std::ranges::copy(o.gradients(), grads->span().begin());
    return grads;
  }

  std::tuple<First, Rest...> m_layers;
  Shape m_input;
  std::vector<Shape> m_shapes;  // output of each layer, batch 1
  Tensor<Scalar> m_values, m_buffers;
  std::shared_ptr<Tensor<Scalar>> m_grads;  // may be shared: use_gradients_of
};

template <class First, class... Rest>
Sequential(Shape, First, Rest...) -> Sequential<First, Rest...>;

}  // namespace gan::net
