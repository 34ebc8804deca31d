// perform: a Job on a constructed model.
#pragma once

#include "distributed.hpp"
#include "job.hpp"
#include "sample_run.hpp"
#include "train_run.hpp"

namespace gan::program {

template <class Model>
int perform(Model& model, const Job& job) {
  if (job.kind == Job::Kind::train)
    return on_all_ranks(*job.train, [&] { return train_run(model, *job.train, *job.dataset); });
  return sample_run(model, *job.sample);
}

}  // namespace gan::program
