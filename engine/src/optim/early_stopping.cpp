// Early stopping on a validation metric.
#include <cmath>
#include <limits>
#include "gradlab/text.h"

#include "gradlab/check.h"
#include "gradlab/training.h"

namespace gradlab::utils {

EarlyStopping::EarlyStopping(int64_t patience, double min_delta, Mode mode, bool check_finite)
    : patience_(patience), min_delta_(min_delta), mode_(mode), check_finite_(check_finite) {
  GL_CHECK(patience >= 0, "EarlyStopping: patience must be an integer >= 0, got ", patience);
  GL_CHECK(std::isfinite(min_delta) && min_delta >= 0.0,
           "EarlyStopping: min_delta must be a finite number >= 0, got ", min_delta);
  reset();
}

EarlyStopping::Mode EarlyStopping::parse_mode(const std::string& mode) {
  if (mode == "min") return Mode::Min;
  if (mode == "max") return Mode::Max;
  GL_FAIL("EarlyStopping: mode must be 'min' or 'max', got '", mode, "'");
}

void EarlyStopping::reset() {
  best_ = mode_ == Mode::Min ? std::numeric_limits<double>::infinity()
                             : -std::numeric_limits<double>::infinity();
  best_step_ = -1;
  bad_ = calls_ = 0;
  stopped_at_ = -1;
  stop_ = false;
  reason_.clear();
}

bool EarlyStopping::step(double metric) { return step(metric, calls_); }

bool EarlyStopping::step(double metric, int64_t at) {
  ++calls_;
  if (stop_) return true;
  Text why;
  if (!std::isfinite(metric) && check_finite_) {
    why << "the metric is " << metric << " at step " << at;
  } else {
    const bool better = mode_ == Mode::Min ? metric < best_ - min_delta_ : metric > best_ + min_delta_;
    if (better) {
      best_ = metric;
      best_step_ = at;
      bad_ = 0;
      return false;
    }
    if (++bad_ < patience_) return false;
    why << "no improvement of more than " << min_delta_ << " for " << bad_
        << (bad_ == 1 ? " evaluation" : " evaluations") << " (best " << best_ << " at step "
        << best_step_ << ")";
  }
  stop_ = true;
  stopped_at_ = at;
  reason_ = why.str();
  return true;
}

}  // namespace gradlab::utils
