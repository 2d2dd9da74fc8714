// Embind for the synthetic tasks (gl.tasks in web/src/api/tasks.js).
#include <emscripten/bind.h>

#include "gradlab/tasks.h"
#include "guard.h"

using emscripten::val;
using namespace gradlab;
using namespace gradlab::bindings;

namespace {
val to_js(const tasks::Batch& b) {
  val r = val::object();
  r.set("x", b.x);
  r.set("y", b.y);
  return r;
}

val strings(const std::vector<std::string>& v) {
  val a = val::array();
  for (const auto& s : v) a.call<void>("push", s);
  return a;
}

val seq_to_js(const tasks::SeqBatch& b) {
  val r = val::object();
  r.set("source", b.source);
  r.set("decoderInput", b.decoder_input);
  r.set("target", b.target);
  r.set("sourceLengths", b.source_lengths);
  r.set("targetLengths", b.target_lengths);
  r.set("sources", strings(b.sources));
  r.set("targets", strings(b.targets));
  return r;
}

// A JS array of whole numbers (ids or numbers to read), each checked like any integer argument.
std::vector<int64_t> to_ints(const val& arr, const char* who, const char* name, int64_t lo, int64_t hi) {
  if (!arr.isArray()) throw ArgumentError(std::string(who) + ": " + name + " must be an array of integers, got " + show(arr));
  const unsigned n = arr["length"].as<unsigned>();
  std::vector<int64_t> out;
  for (unsigned i = 0; i < n; ++i) {
    const std::string at = std::string(name) + "[" + std::to_string(i) + "]";
    out.push_back(to_int(arr[i], who, at.c_str(), lo, hi));
  }
  return out;
}

tasks::NumberReading* make_number_reading(const val& language, const val& lo, const val& hi, const val& seed,
                                          const val& pad_start) {
  const char* who = "NumberReading";
  const std::string lang = language.isString() ? language.as<std::string>() : "";
  if (lang != "ko" && lang != "en") {
    throw ArgumentError(std::string(who) + ": language must be 'ko' or 'en', got " + show(language));
  }
  const int64_t min_digits = to_int(lo, who, "minDigits", 1, tasks::NumberReading::kMaxDigits);
  const int64_t max_digits = to_int(hi, who, "maxDigits", 1, tasks::NumberReading::kMaxDigits);
  auto* t = new tasks::NumberReading(lang == "ko" ? tasks::NumberReading::Language::korean
                                                  : tasks::NumberReading::Language::english,
                                     min_digits, max_digits, to_seed(seed, who));
  t->set_pad_source_start(pad_start.as<bool>());
  return t;
}

tasks::PairsTask* make_pairs_task(const val& text, const val& seed, const val& max_length, const val& max_pairs,
                                  const val& pad_start) {
  const char* who = "PairsTask";
  if (!text.isString()) throw ArgumentError(std::string(who) + ": text must be a string, got " + show(text));
  auto* t = new tasks::PairsTask(text.as<std::string>(), to_seed(seed, who),
                                 to_int(max_length, who, "maxLength", 1, tasks::PairsTask::kMaxLength),
                                 to_int(max_pairs, who, "maxPairs", 1, tasks::PairsTask::kMaxPairs));
  t->set_pad_source_start(pad_start.as<bool>());
  return t;
}

val vocab_to_js(const tasks::Vocabulary& v) {
  val tokens = val::array();
  for (int64_t i = 0; i < v.size(); ++i) tokens.call<void>("push", v.token(i));
  return tokens;
}

tasks::AddingProblem* make_adding_problem(const val& T, const val& seed) {
  const int64_t length = to_size(T, "AddingProblem", "T", 2);
  return new tasks::AddingProblem(length, to_seed(seed, "AddingProblem"));
}

tasks::CopyTask* make_copy_task(const val& K, const val& delay, const val& A, const val& seed) {
  const char* who = "CopyTask";
  const int64_t symbols = to_size(K, who, "symbols", 1);
  const int64_t wait = to_size(delay, who, "delay", 1);
  const int64_t alphabet = to_size(A, who, "alphabet", 2);
  return new tasks::CopyTask(symbols, wait, alphabet, to_seed(seed, who));
}
}  // namespace

EMSCRIPTEN_BINDINGS(gradlab_tasks) {
  using emscripten::optional_override;
  emscripten::class_<tasks::AddingProblem>("AddingProblem")
      .constructor(optional_override([](val T, val seed) {
        return GUARD(make_adding_problem(T, seed));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::AddingProblem& t, val B) {
        return GUARD(to_js(t.batch(to_size(B, "AddingProblem.batch", "batchSize", 1))));
      }))
      .function("length", optional_override([](const tasks::AddingProblem& t) { return double(t.length()); }));
  emscripten::class_<tasks::CopyTask>("CopyTask")
      .constructor(optional_override([](val K, val delay, val A, val seed) {
        return GUARD(make_copy_task(K, delay, A, seed));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::CopyTask& t, val B) {
        return GUARD(to_js(t.batch(to_size(B, "CopyTask.batch", "batchSize", 1))));
      }))
      .function("length", optional_override([](const tasks::CopyTask& t) { return double(t.length()); }))
      .function("classes", optional_override([](const tasks::CopyTask& t) { return double(t.classes()); }))
      .function("baselineCrossEntropy", optional_override([](const tasks::CopyTask& t) { return t.baseline_cross_entropy(); }));
  emscripten::class_<tasks::SeqTask>("SeqTask")
      .function("sourceTokens", optional_override([](const tasks::SeqTask& t) { return GUARD(vocab_to_js(t.source_vocab())); }))
      .function("targetTokens", optional_override([](const tasks::SeqTask& t) { return GUARD(vocab_to_js(t.target_vocab())); }))
      .function("decodeTarget", optional_override([](const tasks::SeqTask& t, val ids) {
        return GUARD(t.target_vocab().decode(to_ints(ids, "decode", "ids", -kMaxElements, kMaxElements)));
      }))
      .function("decodeSource", optional_override([](const tasks::SeqTask& t, val ids) {
        return GUARD(t.source_vocab().decode(to_ints(ids, "decodeSource", "ids", -kMaxElements, kMaxElements)));
      }))
      .function("encodePairs", optional_override([](const tasks::SeqTask& t, val sources, val targets) {
        return GUARD(([&] {
          const unsigned n = sources["length"].as<unsigned>();
          std::vector<std::pair<std::string, std::string>> pairs;
          for (unsigned i = 0; i < n; ++i) pairs.emplace_back(sources[i].as<std::string>(), targets[i].as<std::string>());
          return seq_to_js(t.make_batch(pairs));
        })());
      }));
  emscripten::class_<tasks::NumberReading, emscripten::base<tasks::SeqTask>>("NumberReading")
      .constructor(optional_override([](val language, val lo, val hi, val seed, val pad_start) {
        return GUARD(make_number_reading(language, lo, hi, seed, pad_start));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::NumberReading& t, val B) {
        return GUARD(seq_to_js(t.batch(to_int(B, "NumberReading.batch", "batchSize", 1, 100000))));
      }))
      .function("batchOf", optional_override([](const tasks::NumberReading& t, val numbers) {
        return GUARD(([&] {
          std::vector<uint64_t> ns;
          for (int64_t n : to_ints(numbers, "NumberReading.batchOf", "numbers", 0, 999999999999999)) ns.push_back(uint64_t(n));
          if (ns.empty()) throw ArgumentError("NumberReading.batchOf: numbers must not be empty");
          return seq_to_js(t.batch_of(ns));
        })());
      }))
      .function("reading", optional_override([](const tasks::NumberReading& t, val n) {
        return GUARD(t.reading(uint64_t(to_int(n, "NumberReading.reading", "n", 0, 999999999999999))));
      }))
      .function("maxTargetLength", optional_override([](const tasks::NumberReading& t) { return double(t.max_target_length()); }));
  emscripten::class_<tasks::PairsTask, emscripten::base<tasks::SeqTask>>("PairsTask")
      .constructor(optional_override([](val text, val seed, val max_length, val max_pairs, val pad_start) {
        return GUARD(make_pairs_task(text, seed, max_length, max_pairs, pad_start));
      }), emscripten::allow_raw_pointers())
      .function("batch", optional_override([](tasks::PairsTask& t, val B) {
        return GUARD(seq_to_js(t.batch(to_int(B, "PairsTask.batch", "batchSize", 1, 100000))));
      }))
      .function("slice", optional_override([](const tasks::PairsTask& t, val start, val count) {
        return GUARD(seq_to_js(t.slice(to_size(start, "PairsTask.slice", "start"),
                                       to_size(count, "PairsTask.slice", "count", 1))));
      }))
      .function("size", optional_override([](const tasks::PairsTask& t) { return double(t.size()); }))
      .function("pairs", optional_override([](const tasks::PairsTask& t) {
        return GUARD(([&] {
          val a = val::array();
          for (size_t i = 0; i < t.pairs().size(); ++i) {
            val p = val::array();
            p.call<void>("push", t.pairs()[i].first);
            p.call<void>("push", t.pairs()[i].second);
            p.call<void>("push", double(t.lines()[i]));
            a.call<void>("push", p);
          }
          return a;
        })());
      }));
  emscripten::constant("ADDING_BASELINE_MSE", tasks::AddingProblem::kBaselineMSE);
}
