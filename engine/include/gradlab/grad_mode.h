// Grad mode: inside a NoGradGuard, ops record no graph (like torch.no_grad()).
#pragma once

namespace gradlab {

bool grad_enabled();

class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool prev_;
};

}  // namespace gradlab
