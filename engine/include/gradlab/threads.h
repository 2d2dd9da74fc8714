// The engine's threads: one op's independent rows split between cores. The recurrent layers use
// them (recurrent.cpp): the rows of a batch never meet inside the time loop, so each thread runs
// the whole loop forward, and again backward, for its share of the rows, and the results are
// the same bits as on one thread (tests/engine/test_threads.cpp).
//
// A build without threads (the wasm engines that run where the page is not cross-origin
// isolated) has max_threads() == 1 and runs everything on the calling thread.
#pragma once
#include <cstdint>
#include <functional>

// 1 where this build has threads (natively, and the wasm engine built with -pthread); code that
// only matters with threads (a second instantiation of a kernel) is left out of the others.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define GRADLAB_HAS_THREADS 0
#else
#define GRADLAB_HAS_THREADS 1
#endif

namespace gradlab::threads {

// How many threads this build can run at once: natively 16 or the cores if more, in the
// threaded wasm engine the pool it started with, 1 without threads.
int max_threads();

// How many threads an op may use now (torch.get_num_threads). Starts at 1 natively (the tests
// and the CLI run side by side on every core already) and at max_threads() in wasm.
int num_threads();

// torch.set_num_threads: n in [1, max_threads()], or an error that names n and the limit.
void set_num_threads(int64_t n);

// body(part) for part in [0, parts), part 0 on the calling thread and the others on the pool;
// returns when all have returned. An exception from any part is rethrown here (the first one).
// parts must be in [1, num_threads()].
void run(int parts, const std::function<void(int part)>& body);

// How many parts to split `rows` independent rows into, each part a multiple of `align` rows
// (the last one takes the rest), when each row costs about `work_per_row` multiply-adds:
// 1 when the op is too small for the wake-up of another thread to pay off.
int parts_for(int64_t rows, int64_t align, int64_t work_per_row);

// The rows of part `part` of `parts` (as parts_for split them): [first, first + count).
struct Rows {
  int64_t first, count;
};
Rows part_rows(int part, int parts, int64_t rows, int64_t align);

}  // namespace gradlab::threads
