// The engine's thread pool (gradlab/threads.h): max_threads() - 1 threads started on first use,
// each waiting for a generation number to change, then running its part of the current job.
#include "gradlab/threads.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "gradlab/check.h"

#ifdef __EMSCRIPTEN_PTHREADS__
#include <emscripten/emscripten.h>
#endif

namespace gradlab::threads {

namespace {

constexpr int kNativeMax = 16;

int detect_max() {
#if !GRADLAB_HAS_THREADS
  return 1;
#elif defined(__EMSCRIPTEN_PTHREADS__)
  // this thread and the pool of Workers the module started with (-sPTHREAD_POOL_SIZE, from
  // loadGL's gradlabPoolSize): a thread beyond it would need this one to return to its event
  // loop first, which a synchronous op never does
  const int pool = EM_ASM_INT({ return Math.min(Module['gradlabPoolSize'] | 0, PThread.unusedWorkers.length); });
  return 1 + std::max(0, pool);
#else
  // natively a pool may have more threads than cores (torch.set_num_threads takes any count)
  return std::max(kNativeMax, int(std::thread::hardware_concurrency()));
#endif
}

int& current() {
#if defined(__EMSCRIPTEN__)
  static int n = detect_max();
#else
  static int n = 1;
#endif
  return n;
}

#if GRADLAB_HAS_THREADS
// set while a thread runs a part: a run() from inside one runs its parts in turn on that thread
thread_local bool in_part = false;

class Pool {
 public:
  static Pool& instance() {
    static Pool* pool = new Pool();  // never destroyed: its threads live as long as the process
    return *pool;
  }

  void run(int parts, const std::function<void(int)>& body) {
    std::lock_guard<std::mutex> one_job(job_mutex_);  // one job at a time from any thread
    grow(parts - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      parts_ = parts;
      next_ = 1;
      pending_ = parts - 1;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    run_part(0, body);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    body_ = nullptr;
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void grow(int workers) {
    while (int(threads_.size()) < workers) threads_.emplace_back([this] { loop(); });
  }

  void run_part(int part, const std::function<void(int)>& body) {
    in_part = true;
    try {
      body(part);
      in_part = false;
    } catch (...) {
      in_part = false;
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }

  void loop() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      if (next_ >= parts_) continue;  // a job with fewer parts than there are threads
      const int part = next_++;
      const std::function<void(int)>& body = *body_;
      lock.unlock();
      run_part(part, body);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex job_mutex_, mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> threads_;
  const std::function<void(int)>* body_ = nullptr;
  int parts_ = 0, next_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
  std::exception_ptr error_;
};
#endif

}  // namespace

int max_threads() {
  static const int n = detect_max();
  return n;
}

int num_threads() { return current(); }

void set_num_threads(int64_t n) {
  GL_CHECK(n >= 1 && n <= max_threads(), "set_num_threads: n must be in [1, ", max_threads(),
           "] (", max_threads() == 1 ? "this engine is built without threads" : "the threads this engine has",
           "), got ", n);
  current() = int(n);
}

void run(int parts, const std::function<void(int)>& body) {
  GL_CHECK(parts >= 1 && parts <= num_threads(), "threads::run: parts must be in [1, ",
           num_threads(), "], got ", parts);
#if GRADLAB_HAS_THREADS
  if (parts > 1 && !in_part) return Pool::instance().run(parts, body);
#endif
  for (int part = 0; part < parts; ++part) body(part);
}

int parts_for(int64_t rows, int64_t align, int64_t work_per_row) {
  // Waking a thread and waiting for it costs microseconds natively and 10-15 µs in Chromium
  // (a 64×64 matmul split in two took 43 µs there, against 30 µs on one thread): a part must
  // carry at least 2^19 multiply-adds (~100 µs) to be worth it.
  constexpr int64_t kMinWorkPerPart = int64_t(1) << 19;
  const int64_t n = num_threads();
  if (n <= 1 || rows < 2 * align) return 1;
  const int64_t by_rows = rows / align;
  const int64_t by_work = std::max<int64_t>(1, rows * std::max<int64_t>(work_per_row, 1) / kMinWorkPerPart);
  return int(std::max<int64_t>(1, std::min({n, by_rows, by_work})));
}

Rows part_rows(int part, int parts, int64_t rows, int64_t align) {
  const int64_t each = rows / parts / align * align;
  const int64_t first = each * part;
  return {first, part == parts - 1 ? rows - first : each};
}

}  // namespace gradlab::threads
