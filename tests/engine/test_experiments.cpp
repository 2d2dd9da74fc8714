// The experiments registry: every experiment runs (small), its result is valid JSON, the same
// seed gives the same numbers, the caller's random stream is left alone, progress rows arrive
// and can stop a run, and bad input names the experiment, the parameter and the value.
#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <set>
#include <string>

#include "gradlab/experiments.h"
#include "gradlab/gradlab.h"

using namespace gradlab;
namespace ex = gradlab::experiments;
using Catch::Matchers::Contains;

namespace {

// A strict little JSON checker (RFC 8259 grammar; no NaN/Infinity), so the output is
// guaranteed to be what JSON.parse in the browser accepts.
class JsonCheck {
 public:
  explicit JsonCheck(const std::string& s) : s_(s) {}
  bool valid() {
    ws();
    if (!value()) return false;
    ws();
    return i_ == s_.size();
  }

 private:
  bool value() {
    ws();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return string();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number();
    return literal("true") || literal("false") || literal("null");
  }
  bool object() {
    ++i_;
    ws();
    if (peek('}')) return ++i_, true;
    for (;;) {
      ws();
      if (!string()) return false;
      ws();
      if (!peek(':')) return false;
      ++i_;
      if (!value()) return false;
      ws();
      if (peek('}')) return ++i_, true;
      if (!peek(',')) return false;
      ++i_;
    }
  }
  bool array() {
    ++i_;
    ws();
    if (peek(']')) return ++i_, true;
    for (;;) {
      if (!value()) return false;
      ws();
      if (peek(']')) return ++i_, true;
      if (!peek(',')) return false;
      ++i_;
    }
  }
  bool string() {
    if (!peek('"')) return false;
    for (++i_; i_ < s_.size(); ++i_) {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') return ++i_, true;
      if (c < 0x20) return false;
      if (c == '\\') ++i_;
    }
    return false;
  }
  bool number() {
    size_t start = i_;
    if (peek('-')) ++i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' || s_[i_] == 'e' ||
                              s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
      ++i_;
    return i_ > start;
  }
  bool literal(const char* word) {
    std::string w(word);
    if (s_.compare(i_, w.size(), w) != 0) return false;
    i_ += w.size();
    return true;
  }
  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  const std::string& s_;
  size_t i_ = 0;
};

// a configuration of each experiment small enough for a unit test
const std::map<std::string, std::map<std::string, std::string>>& small() {
  static const std::map<std::string, std::map<std::string, std::string>> m = {
      {"rho-power", {{"T", "10"}, {"H", "4"}}},
      {"tanh-saturation", {{"T", "8"}, {"H", "6"}, {"B", "3"}}},
      {"relu-growth", {{"T", "8"}, {"H", "5"}, {"B", "3"}}},
      {"spectral-drift", {{"T", "6"}, {"H", "5"}, {"steps", "6"}, {"every", "2"}, {"batch", "4"}}},
      {"clipping", {{"T", "6"}, {"H", "5"}, {"batch", "4"}}},
      {"explosion", {{"T", "6"}, {"H", "5"}, {"steps", "3"}, {"batch", "4"}}},
      {"orthogonal-init", {{"H", "6"}, {"K", "4"}}},
      {"adding-problem", {{"T", "6"}, {"H", "4"}, {"steps", "4"}, {"irnn_steps", "4"}, {"batch", "4"}, {"eval_every", "2"}, {"eval_size", "8"}, {"grads_every", "2"}}},
      {"lstm-cell-state", {{"T", "5"}, {"H", "3"}, {"B", "2"}}},
      {"recipe", {{"T", "6"}, {"H", "4"}, {"steps", "3"}, {"batch", "4"}, {"eval_every", "2"}, {"eval_size", "8"}}},
      {"gradient-flow", {{"T", "6"}, {"H", "4"}, {"batch", "3"}}},
  };
  return m;
}

// the JSON without its one non-deterministic field
std::string without_seconds(const std::string& json) { return json.substr(0, json.rfind(",\"timing\":")); }

}  // namespace

TEST_CASE("the registry: unique names, one per claim, defaults inside their ranges", "[experiments]") {
  std::set<std::string> names;
  for (const ex::Experiment& e : ex::all()) {
    INFO(e.name);
    CHECK(names.insert(e.name).second);
    CHECK_FALSE(e.claim.empty());
    CHECK_FALSE(e.figure.empty());
    bool has_seed = false;
    for (const ex::ParamSpec& s : e.params) {
      INFO(s.name);
      has_seed |= s.name == "seed";
      if (s.type == ex::ParamType::Int) {
        const int64_t v = std::get<int64_t>(s.default_value);
        CHECK((v >= s.min && v <= s.max));
      } else if (s.type == ex::ParamType::Float) {
        const double v = std::get<double>(s.default_value);
        CHECK((v >= s.min && v <= s.max));
      } else if (s.type == ex::ParamType::Choice) {
        const std::string& v = std::get<std::string>(s.default_value);
        CHECK(std::find(s.choices.begin(), s.choices.end(), v) != s.choices.end());
      }
    }
    CHECK(has_seed);
    CHECK(small().count(e.name) == 1);
  }
  for (const char* claim : {"rho-power", "tanh-saturation", "relu-growth", "spectral-drift", "clipping", "explosion",
                            "orthogonal-init", "adding-problem", "lstm-cell-state", "recipe"})
    CHECK(names.count(claim) == 1);
  CHECK(JsonCheck(ex::list_json()).valid());
}

TEST_CASE("every experiment runs small and gives valid JSON with its parameters", "[experiments]") {
  for (const ex::Experiment& e : ex::all()) {
    INFO(e.name);
    const ex::Result r = e.run(e.parse(small().at(e.name)));
    CHECK(r.experiment == e.name);
    CHECK(r.params.all().size() == e.params.size());
    CHECK_FALSE((r.scalars.empty() && r.series.empty()));
    const std::string json = ex::to_json(r);
    CHECK(JsonCheck(json).valid());
    CHECK_THAT(json, Contains("\"experiment\":\"" + e.name + "\""));
  }
}

TEST_CASE("parameters: defaults, typed values, and errors that name experiment, parameter and value", "[experiments][errors]") {
  const ex::Experiment& e = ex::find("rho-power");
  const ex::Params d = e.parse({});
  CHECK(d.real("rho") == 0.9);
  CHECK(d.integer("T") == 100);
  CHECK(d.choice("activation") == "linear");
  const ex::Params p = e.parse({{"rho", "1.1"}, {"T", "50"}, {"activation", "tanh"}});
  CHECK(p.real("rho") == 1.1);
  CHECK(p.integer("T") == 50);
  CHECK(p.choice("activation") == "tanh");

  CHECK_THROWS_WITH(e.parse({{"rho", "abc"}}), "experiment 'rho-power': parameter 'rho' must be a number in [0.01, 4], got 'abc'");
  CHECK_THROWS_WITH(e.parse({{"rho", "9"}}), "experiment 'rho-power': parameter 'rho' must be a number in [0.01, 4], got '9'");
  CHECK_THROWS_WITH(e.parse({{"rho", "nan"}}), Contains("parameter 'rho' must be a number"));
  CHECK_THROWS_WITH(e.parse({{"T", "1.5"}}), "experiment 'rho-power': parameter 'T' must be an integer in [1, 1000], got '1.5'");
  CHECK_THROWS_WITH(e.parse({{"T", ""}}), Contains("parameter 'T' must be an integer in [1, 1000], got ''"));
  CHECK_THROWS_WITH(e.parse({{"activation", "gelu"}}),
                    "experiment 'rho-power': parameter 'activation' must be one of linear, tanh, relu, got 'gelu'");
  CHECK_THROWS_WITH(e.parse({{"rhoo", "1"}}), Contains("experiment 'rho-power': unknown parameter 'rhoo' (value '1'); its parameters are rho, T, H"));
  CHECK_THROWS_WITH(ex::find("rho"), Contains("unknown experiment 'rho'; the experiments are rho-power, tanh-saturation"));
  // scientific notation and integral floats are numbers
  CHECK(ex::find("spectral-drift").parse({{"lr", "3e-3"}}).real("lr") == 3e-3);
  CHECK(ex::find("spectral-drift").parse({{"steps", "2e2"}}).integer("steps") == 200);
}

TEST_CASE("the same seed gives the same result and a run leaves the caller's random stream alone", "[experiments]") {
  for (const char* name : {"rho-power", "spectral-drift", "explosion", "adding-problem"}) {
    INFO(name);
    const ex::Experiment& e = ex::find(name);
    manual_seed(123);
    const float before = Tensor::randn({1}).item();
    const std::string a = ex::to_json(e.run(e.parse(small().at(name))));
    const float after = Tensor::randn({1}).item();
    manual_seed(123);
    Tensor::randn({1});
    CHECK(Tensor::randn({1}).item() == after);  // as if the experiment had not run
    (void)before;
    const std::string b = ex::to_json(e.run(e.parse(small().at(name))));
    CHECK(without_seconds(a) == without_seconds(b));
    auto other = small().at(name);
    other["seed"] = "7";
    CHECK(without_seconds(ex::to_json(e.run(e.parse(other)))) != without_seconds(a));
  }
}

TEST_CASE("progress rows arrive every N steps and a false from the callback stops the run", "[experiments]") {
  const ex::Experiment& e = ex::find("spectral-drift");
  const ex::Params p = e.parse({{"T", "6"}, {"H", "4"}, {"steps", "20"}, {"every", "5"}, {"batch", "4"}});
  std::vector<int64_t> steps;
  ex::Progress progress;
  progress.every = 5;
  progress.callback = [&](const ex::ProgressRow& row) {
    steps.push_back(row.step);
    CHECK(row.total == 20);
    CHECK(row.values.front().first == "loss");
    return true;
  };
  const ex::Result full = e.run(p, progress);
  CHECK(steps == std::vector<int64_t>{5, 10, 15, 20});
  CHECK(full.scalar("steps") == 20);

  progress.callback = [&](const ex::ProgressRow&) { return false; };
  const ex::Result stopped = e.run(p, progress);
  CHECK(stopped.scalar("steps") == 5);
  REQUIRE_FALSE(stopped.notes.empty());
  CHECK_THAT(stopped.notes.front(), Contains("stopped by the caller after step 5"));
  CHECK(JsonCheck(ex::to_json(ex::ProgressRow{"lstm", 3, 9, {{"loss", 0.5}}})).valid());
}

TEST_CASE("JSON: non-finite numbers are null, strings are escaped", "[experiments]") {
  ex::Result r;
  r.experiment = "x\"y";
  r.scalar("nan", std::nan(""));
  r.scalar("inf", INFINITY);
  r.notes.push_back("line\nbreak\ttab");
  const std::string json = ex::to_json(r);
  CHECK(JsonCheck(json).valid());
  CHECK_THAT(json, Contains("\"nan\":null"));
  CHECK_THAT(json, Contains("\"inf\":null"));
  CHECK_THAT(json, Contains("x\\\"y"));
  CHECK_THAT(json, Contains("line\\nbreak\\ttab"));
}
