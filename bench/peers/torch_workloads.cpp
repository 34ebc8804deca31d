// The speed workloads of WORKLOADS.md in libtorch (PyTorch's C++ API), the peer that
// bench/compare measures the library against. The networks, batch sizes, losses and
// optimizer settings are those of bench/workloads.hpp; torch_workloads.py is the same
// program in Python.
//
// Usage: gan_peer_libtorch WORKLOAD THREADS [SECONDS]
//   WORKLOAD  W1 | W2 | W3 | W4_mlp | W4_dcgan
// Runs two untimed iterations, then iterations until SECONDS (default 2) have passed on
// the clock of bench/timing.hpp (the process's CPU time at 1 thread, wall time
// otherwise), and prints one JSON line: {"impl", "workload", "threads", "rate",
// "iterations", "seconds"}, rate in iterations (W1–W3) or samples (W4) per second.
//
// Each step does the work the library's step does and no more: the fake batch of a
// discriminator step is made without a graph, and the discriminator's parameters stop
// requiring gradients during the generator step, so that only its input gradient is
// computed there.
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>

namespace {

namespace nn = torch::nn;

constexpr int64_t train_batch = 64;
constexpr int64_t sample_batch = 256;

double clock_seconds(int threads) {
  timespec t;
  clock_gettime(threads == 1 ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

nn::LeakyReLU leaky() {
  return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2));
}

// W1's networks.
nn::Sequential mlp_generator() {
  return nn::Sequential(nn::Linear(64, 256), leaky(), nn::Linear(256, 256), leaky(),
                        nn::Linear(256, 784), nn::Tanh());
}
nn::Sequential mlp_discriminator() {
  return nn::Sequential(nn::Linear(784, 256), leaky(), nn::Linear(256, 256), leaky(),
                        nn::Linear(256, 1));
}

// W2's networks.
nn::Sequential dcgan_generator() {
  auto up = [](int64_t in, int64_t out) {
    return nn::ConvTranspose2d(nn::ConvTranspose2dOptions(in, out, 4).stride(2).padding(1));
  };
  return nn::Sequential(nn::Linear(62, 1024), nn::BatchNorm1d(1024), nn::ReLU(),
                        nn::Linear(1024, 128 * 7 * 7), nn::BatchNorm1d(128 * 7 * 7), nn::ReLU(),
                        nn::Unflatten(nn::UnflattenOptions(1, {128, 7, 7})), up(128, 64),
                        nn::BatchNorm2d(64), nn::ReLU(), up(64, 1), nn::Tanh());
}
nn::Sequential dcgan_discriminator() {
  auto down = [](int64_t in, int64_t out) {
    return nn::Conv2d(nn::Conv2dOptions(in, out, 4).stride(2).padding(1));
  };
  return nn::Sequential(down(1, 64), leaky(), down(64, 128), nn::BatchNorm2d(128), leaky(),
                        nn::Flatten(), nn::Linear(128 * 7 * 7, 1024), nn::BatchNorm1d(1024),
                        leaky(), nn::Linear(1024, 1));
}

void set_requires_grad(nn::Sequential& net, bool on) {
  for (auto& p : net->parameters()) p.requires_grad_(on);
}

torch::optim::Adam adam(nn::Sequential& net, double lr, double beta1, double beta2) {
  return torch::optim::Adam(net->parameters(), torch::optim::AdamOptions(lr).betas({beta1, beta2}));
}

/// W1 and W2: a non-saturating GAN step (label smoothing 0.1 on the real targets, as the
/// library's default), Adam(2e-4, 0.5, 0.999).
std::function<void()> gan_step(nn::Sequential g, nn::Sequential d, int64_t noise,
                               torch::Tensor real) {
  auto og = std::make_shared<torch::optim::Adam>(adam(g, 2e-4, 0.5, 0.999));
  auto od = std::make_shared<torch::optim::Adam>(adam(d, 2e-4, 0.5, 0.999));
  const auto real_target = torch::full({train_batch, 1}, 0.9f);
  const auto fake_target = torch::zeros({train_batch, 1});
  const auto g_target = torch::ones({train_batch, 1});
  return [=]() mutable {
    torch::Tensor fake;
    {
      torch::NoGradGuard no_grad;
      fake = g->forward(torch::randn({train_batch, noise}));
    }
    auto loss = torch::binary_cross_entropy_with_logits(d->forward(real), real_target) +
                torch::binary_cross_entropy_with_logits(d->forward(fake), fake_target);
    od->zero_grad();
    loss.backward();
    od->step();

    set_requires_grad(d, false);
    auto out = d->forward(g->forward(torch::randn({train_batch, noise})));
    auto g_loss = torch::binary_cross_entropy_with_logits(out, g_target);
    og->zero_grad();
    g_loss.backward();
    og->step();
    set_requires_grad(d, true);
  };
}

/// W3: WGAN-GP, 5 critic steps with the gradient penalty (λ = 10) on per-sample random
/// interpolates, then one generator step; Adam(1e-4, 0, 0.9).
std::function<void()> wgan_gp_step(nn::Sequential g, nn::Sequential d, torch::Tensor real) {
  auto og = std::make_shared<torch::optim::Adam>(adam(g, 1e-4, 0.0, 0.9));
  auto od = std::make_shared<torch::optim::Adam>(adam(d, 1e-4, 0.0, 0.9));
  return [=]() mutable {
    for (int critic = 0; critic < 5; ++critic) {
      torch::Tensor fake;
      {
        torch::NoGradGuard no_grad;
        fake = g->forward(torch::randn({train_batch, 64}));
      }
      auto alpha = torch::rand({train_batch, 1});
      auto mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(true);
      auto out = d->forward(mixed);
      auto grad = torch::autograd::grad({out}, {mixed}, {torch::ones_like(out)},
                                        /*retain_graph=*/true, /*create_graph=*/true)[0];
      auto penalty = 10 * (grad.norm(2, 1) - 1).pow(2).mean();
      auto loss = d->forward(fake).mean() - d->forward(real).mean() + penalty;
      od->zero_grad();
      loss.backward();
      od->step();
    }
    set_requires_grad(d, false);
    auto g_loss = -d->forward(g->forward(torch::randn({train_batch, 64}))).mean();
    og->zero_grad();
    g_loss.backward();
    og->step();
    set_requires_grad(d, true);
  };
}

/// W4: the generator in evaluation mode, without a graph, on batches of 256.
std::function<void()> sampling_step(nn::Sequential g, int64_t noise) {
  g->eval();
  const auto z = torch::randn({sample_batch, noise});
  return [=]() mutable {
    torch::NoGradGuard no_grad;
    g->forward(z);
  };
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s W1|W2|W3|W4_mlp|W4_dcgan THREADS [SECONDS]\n", argv[0]);
    return 2;
  }
  const std::string workload = argv[1];
  const int threads = std::atoi(argv[2]);
  const double min_seconds = argc > 3 ? std::atof(argv[3]) : 2.0;
  torch::set_num_threads(threads);
  torch::manual_seed(0);

  std::function<void()> step;
  double items = 1;
  if (workload == "W1") {
    step =
        gan_step(mlp_generator(), mlp_discriminator(), 64, torch::rand({train_batch, 784}) * 2 - 1);
  } else if (workload == "W2") {
    step = gan_step(dcgan_generator(), dcgan_discriminator(), 62,
                    torch::rand({train_batch, 1, 28, 28}) * 2 - 1);
  } else if (workload == "W3") {
    step =
        wgan_gp_step(mlp_generator(), mlp_discriminator(), torch::rand({train_batch, 784}) * 2 - 1);
  } else if (workload == "W4_mlp") {
    step = sampling_step(mlp_generator(), 64);
    items = sample_batch;
  } else if (workload == "W4_dcgan") {
    step = sampling_step(dcgan_generator(), 62);
    items = sample_batch;
  } else {
    std::fprintf(stderr, "unknown workload %s\n", workload.c_str());
    return 2;
  }

  step();
  step();
  long iterations = 0;
  const double start = clock_seconds(threads);
  double seconds = 0;
  do {
    step();
    ++iterations;
    seconds = clock_seconds(threads) - start;
  } while (seconds < min_seconds || iterations < 3);
  std::printf(
      "{\"impl\": \"libtorch\", \"workload\": \"%s\", \"threads\": %d, \"rate\": %.6g, "
      "\"iterations\": %ld, \"seconds\": %.6g}\n",
      workload.c_str(), threads, items * double(iterations) / seconds, iterations, seconds);
  return 0;
}
