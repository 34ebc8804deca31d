#!/usr/bin/python3
"""Writes the golden files of tests/golden: PyTorch's results for fixed inputs, which the
C++ tests (tests/layer/golden*_test.cpp, tests/optim/golden_test.cpp) reproduce.

Run it with the interpreter that has PyTorch 1.13 (Debian's python3-torch):

    /usr/bin/python3 tests/golden/make_golden.py

Every value is computed in float64. The file format and the value generator are described
in tests/golden/README.md; the C++ reader is tests/support/golden.hpp.
"""

import math
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

# Inputs up to INPUT_LIMIT values are written out (as grid integers, see generate_grid);
# larger ones as the seed of the generator (a ConvTranspose2d(128, 64, 4) weight has
# 131072 values). Results up to RESULT_LIMIT values are written out; larger ones as a
# strided sample of about SAMPLES values, a projection on generated weights and the sum of
# squares. Together they keep the four files near 300 KB.
INPUT_LIMIT = 2048
RESULT_LIMIT = 1000
SAMPLES = 200


def generate_grid(seed, count):
    """The integers j in [-256, 256] behind generated values: j_k is the splitmix64
    finalizer (Steele, Lea & Flood 2014) of seed + (k + 1)·0x9E3779B97F4A7C15, modulo 513,
    minus 256."""
    with np.errstate(over="ignore"):
        k = np.arange(1, count + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z % np.uint64(513)).astype(np.int64) - 256


def grid_values(j, scale, offset):
    """offset + (scale/256)·j: exact in float64 and, for the scales and offsets used here,
    in float32 too, so the float path of a test sees the very inputs PyTorch saw."""
    assert scale > 0 and math.frexp(scale)[0] == 0.5, "scale must be a power of two"
    return offset + j.astype(np.float64) * (scale / 256.0)


def next_prime(n):
    n = max(n, 2)
    while any(n % d == 0 for d in range(2, int(math.isqrt(n)) + 1)):
        n += 1
    return n


def shape_text(shape):
    return "x".join(str(int(d)) for d in shape)


def exact(v):
    return repr(float(v))


def rounded(v):
    return "%.12g" % float(v)


class Case:
    """One named case: numeric parameters, then tensors in the order written."""

    def __init__(self, name):
        self.name = name
        self.lines = ["case " + name]

    def param(self, key, value):
        text = exact(value) if isinstance(value, float) else str(int(value))
        self.lines.append("param %s %s" % (key, text))

    def seed(self, tensor_name):
        return zlib.crc32(("%s/%s" % (self.name, tensor_name)).encode())

    def _values(self, values, fmt):
        flat = [fmt(v) for v in values]
        per_line = 16 if fmt is str else 8
        for i in range(0, len(flat), per_line):
            self.lines.append(" ".join(flat[i:i + per_line]))

    def input(self, name, shape, scale=1.0, offset=0.0, zeros=()):
        """A generated input, offset + (scale/256)·j with j in [-256, 256], as a float64
        tensor; flat positions in `zeros` get j = 0."""
        count = int(np.prod(shape))
        seed = self.seed(name)
        j = generate_grid(seed, count)
        j[list(zeros)] = 0
        values = grid_values(j, scale, offset)
        attributes = "shape=%s unit=%s offset=%s" % (shape_text(shape), exact(scale / 256.0),
                                                     exact(offset))
        if count <= INPUT_LIMIT:
            self.lines.append("grid %s %s" % (name, attributes))
            self._values(j, str)
        else:
            assert not zeros, "zeros only in written inputs"
            self.lines.append("gen %s %s seed=%d sum=%s" % (name, attributes, seed,
                                                           exact(values.sum())))
        return torch.tensor(values, dtype=torch.float64).reshape(shape)

    def output(self, name, tensor):
        """A result: written out, or sampled when large."""
        values = tensor.detach().to(torch.float64).reshape(-1).numpy()
        shape = tuple(tensor.shape)
        if values.size <= RESULT_LIMIT:
            self.lines.append("tensor %s shape=%s" % (name, shape_text(shape)))
            self._values(values, rounded)
            return
        stride = next_prime(-(-values.size // SAMPLES))
        seed = self.seed(name + "#projection")
        weights = generate_grid(seed, values.size) / 256.0
        self.lines.append("sample %s shape=%s stride=%d seed=%d proj=%s sumsq=%s"
                          % (name, shape_text(shape), stride, seed,
                             rounded(np.dot(values, weights)), rounded(np.dot(values, values))))
        self._values(values[::stride], rounded)

    def text(self):
        return "\n".join(self.lines + ["end", ""])


def write(file_name, title, cases):
    header = ["# %s" % title,
              "# Written by tests/golden/make_golden.py with PyTorch %s; do not edit."
              % torch.__version__,
              "# Format: tests/golden/README.md.", ""]
    text = "\n".join(header) + "".join(c.text() for c in cases)
    with open(os.path.join(HERE, file_name), "w") as f:
        f.write(text)
    print("%-12s %3d cases %7d bytes" % (file_name, len(cases), len(text)))


def run_layer(case, forward, x, params):
    """Forward, then backward from a generated output gradient dy: writes y, dy's seed or
    values, dx and the gradient of each parameter (named "d" + its name)."""
    x.requires_grad_(True)
    for p in params.values():
        p.requires_grad_(True)
    y = forward(x)
    case.output("y", y)
    dy = case.input("dy", tuple(y.shape))
    y.backward(dy)
    case.output("dx", x.grad)
    for name, p in params.items():
        case.output("d" + name, p.grad)


# ---------------------------------------------------------------------------- layers


def linear_case(name, n, fin, fout, bias=True):
    c = Case("linear/" + name)
    c.param("in", fin)
    c.param("out", fout)
    c.param("bias", bias)
    x = c.input("x", (n, fin))
    params = {"weight": c.input("weight", (fout, fin), 0.5)}
    if bias:
        params["bias"] = c.input("bias", (fout,), 0.5)
    run_layer(c, lambda t: F.linear(t, params["weight"], params.get("bias")), x, params)
    return c


def activation_case(name, forward, scale, slope=None):
    c = Case(name)
    if slope is not None:
        c.param("slope", slope)
    # Exact zeros at a few places: the kink convention (gradient at 0) is part of the layer.
    x = c.input("x", (3, 2, 5, 7), scale, zeros=(0, 17, 101))
    run_layer(c, forward, x, {})
    return c


def layer_cases():
    return [
        linear_case("odd", 3, 5, 7),
        linear_case("batch1", 1, 9, 1),
        linear_case("no_bias", 2, 6, 4, bias=False),
        linear_case("wide", 9, 256, 129),
        activation_case("relu", F.relu, 1.0),
        activation_case("leaky_relu", lambda t: F.leaky_relu(t, 0.2), 1.0, slope=0.2),
        activation_case("tanh", torch.tanh, 4.0),
        activation_case("sigmoid", torch.sigmoid, 8.0),
    ]


def conv_case(name, n, cin, cout, k, stride, padding, h, w, bias=True):
    c = Case("conv2d/" + name)
    for key, v in (("in", cin), ("out", cout), ("k", k), ("stride", stride),
                   ("padding", padding), ("bias", bias)):
        c.param(key, v)
    x = c.input("x", (n, cin, h, w))
    params = {"weight": c.input("weight", (cout, cin, k, k), 0.25)}
    if bias:
        params["bias"] = c.input("bias", (cout,), 0.25)
    run_layer(c, lambda t: F.conv2d(t, params["weight"], params.get("bias"), stride, padding),
              x, params)
    return c


def conv_transpose_case(name, n, cin, cout, k, stride, padding, output_padding, h, w, bias=True):
    c = Case("conv_transpose2d/" + name)
    for key, v in (("in", cin), ("out", cout), ("k", k), ("stride", stride),
                   ("padding", padding), ("output_padding", output_padding), ("bias", bias)):
        c.param(key, v)
    x = c.input("x", (n, cin, h, w))
    params = {"weight": c.input("weight", (cin, cout, k, k), 0.25)}
    if bias:
        params["bias"] = c.input("bias", (cout,), 0.25)
    run_layer(c, lambda t: F.conv_transpose2d(t, params["weight"], params.get("bias"), stride,
                                              padding, output_padding), x, params)
    return c


def conv_cases():
    return [
        # The W2 discriminator's convolutions (28 → 14 → 7) and generator's (7 → 14 → 28).
        conv_case("w2_first", 2, 1, 64, 4, 2, 1, 28, 28),
        conv_case("w2_second", 1, 64, 128, 4, 2, 1, 14, 14),
        conv_transpose_case("w2_first", 2, 128, 64, 4, 2, 1, 0, 7, 7),
        conv_transpose_case("w2_last", 2, 64, 1, 4, 2, 1, 0, 14, 14),
        # Odd sizes, stride 3, padding 2 (windows wholly in the padding), no bias.
        conv_case("odd", 2, 3, 4, 3, 3, 2, 5, 7),
        conv_case("k2_s3_p2", 1, 2, 3, 2, 3, 2, 5, 7),
        conv_case("same_no_bias", 2, 3, 5, 5, 1, 2, 7, 5, bias=False),
        conv_transpose_case("odd", 2, 3, 2, 3, 3, 2, 1, 5, 7),
        conv_transpose_case("s2_op1_no_bias", 1, 2, 3, 3, 2, 1, 1, 5, 7, bias=False),
        conv_transpose_case("from_1x1", 3, 6, 5, 4, 1, 0, 0, 1, 1),
    ]


# ----------------------------------------------------------------------- normalization


def batch_norm_case(name, shape, momentum=0.1, eps=1e-5):
    """Training-mode forward and backward on x; a second training-mode forward on x2; the
    running statistics after the two; an evaluation-mode forward on x3 with them."""
    c = Case(name)
    channels = shape[1]
    c.param("channels", channels)
    c.param("momentum", momentum)
    c.param("eps", eps)
    running_mean = torch.zeros(channels, dtype=torch.float64)
    running_var = torch.ones(channels, dtype=torch.float64)
    c.output("running_mean0", running_mean)
    c.output("running_var0", running_var)
    x = c.input("x", shape, 2.0)
    params = {"weight": c.input("weight", (channels,), 0.5, offset=1.0),
              "bias": c.input("bias", (channels,), 0.5)}
    forward = lambda t: F.batch_norm(t, running_mean, running_var, params["weight"],
                                     params["bias"], True, momentum, eps)
    run_layer(c, forward, x, params)
    with torch.no_grad():
        x2 = c.input("x2", shape, 1.0, offset=0.5)
        c.output("y2", F.batch_norm(x2, running_mean, running_var, params["weight"],
                                    params["bias"], True, momentum, eps))
        c.output("running_mean", running_mean)
        c.output("running_var", running_var)
        x3 = c.input("x3", shape, 2.0)
        c.output("y_eval", F.batch_norm(x3, running_mean, running_var, params["weight"],
                                        params["bias"], False, momentum, eps))
    return c


def layer_norm_case(name, shape, eps=1e-5):
    c = Case(name)
    normalized = tuple(shape[1:])
    c.param("features", int(np.prod(normalized)))
    c.param("eps", eps)
    x = c.input("x", shape, 2.0)
    params = {"weight": c.input("weight", normalized, 0.5),
              "bias": c.input("bias", normalized, 0.5)}
    run_layer(c, lambda t: F.layer_norm(t, normalized, params["weight"], params["bias"], eps),
              x, params)
    return c


def norm_cases():
    return [
        batch_norm_case("batch_norm2d/odd", (4, 3, 5, 7)),
        batch_norm_case("batch_norm2d/w2", (2, 128, 7, 7)),
        batch_norm_case("batch_norm1d/odd", (6, 5)),
        # Two samples: x̂ = ±1 up to eps, so the input gradient lives on eps (a large one
        # keeps it well above float rounding).
        batch_norm_case("batch_norm1d/batch2", (2, 3), momentum=0.3, eps=0.1),
        layer_norm_case("layer_norm/chw", (3, 2, 5, 7)),
        layer_norm_case("layer_norm/dense", (4, 9)),
        layer_norm_case("layer_norm/batch1", (1, 4, 3, 3)),
    ]


# -------------------------------------------------------------------------- optimizers

PARAMETERS = 37  # two AVX-512 float batches and a tail of 5 (four AVX2 batches and 5)
STEPS = 6


def optimizer_case(name, make, options, state_names):
    """STEPS steps from generated parameters θ₀ with generated gradients (one row a step;
    column 0 is always 0): writes the change θ_t − θ₀ after each step t (what the optimizer
    computes; θ_t itself would bury it under θ₀'s digits) and the final state by PyTorch's
    names."""
    c = Case(name)
    for key, v in options.items():
        c.param(key, v)
    c.param("steps", STEPS)
    # |θ₀| < 2⁻⁸, so that float rounding of θ (below 3e-10) stays small beside the change a
    # step makes (1e-4 and more).
    p = c.input("params0", (PARAMETERS,), 2.0 ** -8)
    grads = c.input("grads", (STEPS, PARAMETERS), 1.0,
                    zeros=[k * PARAMETERS for k in range(STEPS)])
    theta = torch.nn.Parameter(p.clone())
    opt = make([theta])
    changes = []
    for k in range(STEPS):
        theta.grad = grads[k].clone()
        opt.step()
        changes.append(theta.detach() - p)
    c.output("change", torch.stack(changes))
    state = opt.state[theta]
    for key in state_names:
        c.output(key, state[key])
    return c


def optimizer_cases():
    adam = lambda lr, b1, b2, eps=1e-8, wd=0.0: (
        lambda ps: torch.optim.Adam(ps, lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd),
        {"lr": lr, "beta1": b1, "beta2": b2, "eps": eps, "weight_decay": wd})
    rms = lambda lr, alpha=0.99, eps=1e-8, wd=0.0, mom=0.0, centered=False: (
        lambda ps: torch.optim.RMSprop(ps, lr=lr, alpha=alpha, eps=eps, weight_decay=wd,
                                       momentum=mom, centered=centered),
        {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": wd, "momentum": mom,
         "centered": centered})
    sgd = lambda lr, mom=0.0, damp=0.0, wd=0.0, nesterov=False: (
        lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mom, dampening=damp, weight_decay=wd,
                                   nesterov=nesterov),
        {"lr": lr, "momentum": mom, "dampening": damp, "weight_decay": wd, "nesterov": nesterov})
    cases = []
    for name, (make, options), states in [
        ("adam/dcgan", adam(2e-4, 0.5, 0.999), ["exp_avg", "exp_avg_sq"]),
        ("adam/wgan_gp", adam(1e-4, 0.0, 0.9), ["exp_avg", "exp_avg_sq"]),
        ("adam/eps_decay", adam(1e-3, 0.9, 0.999, eps=1e-3, wd=0.1), ["exp_avg", "exp_avg_sq"]),
        ("rmsprop/wgan", rms(5e-5), ["square_avg"]),
        ("rmsprop/momentum_centered", rms(1e-3, 0.9, 1e-4, 0.01, 0.5, True),
         ["square_avg", "momentum_buffer", "grad_avg"]),
        ("sgd/momentum", sgd(1e-2, 0.9), ["momentum_buffer"]),
        ("sgd/nesterov", sgd(1e-2, 0.9, nesterov=True), ["momentum_buffer"]),
        ("sgd/dampening_decay", sgd(5e-2, 0.5, 0.3, 0.1), ["momentum_buffer"]),
        ("sgd/plain", sgd(1e-2), []),
    ]:
        cases.append(optimizer_case(name, make, options, states))
    return cases


def main():
    if not torch.__version__.startswith("1.13"):
        sys.exit("make_golden.py wants PyTorch 1.13, found %s (run /usr/bin/python3)"
                 % torch.__version__)
    torch.set_default_dtype(torch.float64)
    write("layers.txt", "Dense and activations against torch.nn.functional", layer_cases())
    write("conv.txt", "Conv2d and ConvTranspose2d against torch.nn.functional", conv_cases())
    write("norm.txt", "BatchNorm and LayerNorm against torch.nn.functional", norm_cases())
    write("optim.txt", "Adam, RMSprop and SGD against torch.optim", optimizer_cases())


if __name__ == "__main__":
    main()
