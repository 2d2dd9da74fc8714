// The experiments' common machinery: typed parameters parsed from text with errors that name
// the experiment, the parameter and the value; results; the table of experiments.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include "gradlab/text.h"

#include "experiments_internal.h"
#include "gradlab/check.h"
#include "gradlab/experiments.h"

namespace gradlab::experiments {

const char* param_type_name(ParamType type) {
  switch (type) {
    case ParamType::Int: return "int";
    case ParamType::Float: return "float";
    case ParamType::Bool: return "bool";
    case ParamType::Choice: return "choice";
  }
  return "?";
}

std::string value_text(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    Text os;
    os.precision(10);
    os << *d;
    return os.str();
  }
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return std::get<std::string>(v);
}

// ---- ParamSpec --------------------------------------------------------------------------------
ParamSpec ParamSpec::integer(std::string name, int64_t def, int64_t min, int64_t max, std::string help) {
  return {std::move(name), ParamType::Int, def, double(min), double(max), {}, std::move(help)};
}
ParamSpec ParamSpec::real(std::string name, double def, double min, double max, std::string help) {
  return {std::move(name), ParamType::Float, def, min, max, {}, std::move(help)};
}
ParamSpec ParamSpec::boolean(std::string name, bool def, std::string help) {
  return {std::move(name), ParamType::Bool, def, 0, 1, {}, std::move(help)};
}
ParamSpec ParamSpec::choice(std::string name, std::string def, std::vector<std::string> choices,
                            std::string help) {
  return {std::move(name), ParamType::Choice, std::move(def), 0, 0, std::move(choices), std::move(help)};
}

// ---- Params -----------------------------------------------------------------------------------
const Value& Params::get(const std::string& name) const {
  for (const auto& [n, v] : values_)
    if (n == name) return v;
  GL_FAIL("experiment parameters: no parameter '", name, "'");
}
int64_t Params::integer(const std::string& name) const {
  const Value& v = get(name);
  GL_CHECK(std::holds_alternative<int64_t>(v), "experiment parameters: '", name, "' is not an int");
  return std::get<int64_t>(v);
}
double Params::real(const std::string& name) const {
  const Value& v = get(name);
  if (auto* i = std::get_if<int64_t>(&v)) return double(*i);
  GL_CHECK(std::holds_alternative<double>(v), "experiment parameters: '", name, "' is not a number");
  return std::get<double>(v);
}
bool Params::boolean(const std::string& name) const {
  const Value& v = get(name);
  GL_CHECK(std::holds_alternative<bool>(v), "experiment parameters: '", name, "' is not a bool");
  return std::get<bool>(v);
}
const std::string& Params::choice(const std::string& name) const {
  const Value& v = get(name);
  GL_CHECK(std::holds_alternative<std::string>(v), "experiment parameters: '", name, "' is not a choice");
  return std::get<std::string>(v);
}
void Params::set(const std::string& name, Value v) {
  for (auto& [n, old] : values_)
    if (n == name) {
      old = std::move(v);
      return;
    }
  values_.emplace_back(name, std::move(v));
}

namespace {

std::string range_text(const ParamSpec& s) {
  Text os;
  os.precision(10);
  if (s.type == ParamType::Int) os << "an integer in [" << int64_t(s.min) << ", " << int64_t(s.max) << "]";
  else os << "a number in [" << s.min << ", " << s.max << "]";
  return os.str();
}

std::string joined(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (size_t k = 0; k < v.size(); ++k) out += (k ? sep : "") + v[k];
  return out;
}

// text -> the parameter's type, or an error naming experiment, parameter and value
Value parse_value(const std::string& experiment, const ParamSpec& s, const std::string& text) {
  auto fail = [&](const std::string& expected) {
    GL_FAIL("experiment '", experiment, "': parameter '", s.name, "' must be ", expected, ", got '",
            text, "'");
  };
  switch (s.type) {
    case ParamType::Int: {
      char* end = nullptr;
      errno = 0;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !std::isfinite(d) ||
          d != std::floor(d))
        fail(range_text(s));
      if (d < s.min || d > s.max) fail(range_text(s));
      return int64_t(d);
    }
    case ParamType::Float: {
      char* end = nullptr;
      errno = 0;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !std::isfinite(d))
        fail(range_text(s));
      if (d < s.min || d > s.max) fail(range_text(s));
      return d;
    }
    case ParamType::Bool:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      fail("true or false");
      break;
    case ParamType::Choice:
      if (std::find(s.choices.begin(), s.choices.end(), text) == s.choices.end())
        fail("one of " + joined(s.choices));
      return text;
  }
  return text;
}

}  // namespace

// ---- Experiment -------------------------------------------------------------------------------
Params Experiment::parse(const std::map<std::string, std::string>& sets) const {
  for (const auto& set : sets) {
    const std::string& key = set.first;
    const std::string& value = set.second;
    bool known = std::any_of(params.begin(), params.end(), [&](const ParamSpec& s) { return s.name == key; });
    if (!known) {
      std::vector<std::string> names;
      for (const ParamSpec& s : params) names.push_back(s.name);
      GL_FAIL("experiment '", name, "': unknown parameter '", key, "' (value '", value, "'); its parameters are ",
              joined(names));
    }
  }
  Params p;
  for (const ParamSpec& s : params) {
    auto it = sets.find(s.name);
    p.set(s.name, it == sets.end() ? s.default_value : parse_value(name, s, it->second));
  }
  return p;
}

Result Experiment::run(const Params& p, const Progress& progress) const {
  const auto start = std::chrono::steady_clock::now();
  detail::SeedScope keep_global_rng;  // an experiment never disturbs the caller's random stream
  Result r = body(p, progress);
  r.experiment = name;
  r.params = p;
  r.timing.emplace_back("total", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return r;
}

// ---- Result -----------------------------------------------------------------------------------
void Result::scalar(const std::string& name, double value) {
  for (auto& [n, v] : scalars)
    if (n == name) {
      v = value;
      return;
    }
  scalars.emplace_back(name, value);
}
bool Result::has_scalar(const std::string& name) const {
  return std::any_of(scalars.begin(), scalars.end(), [&](const auto& s) { return s.first == name; });
}
double Result::scalar(const std::string& name) const {
  for (const auto& [n, v] : scalars)
    if (n == name) return v;
  GL_FAIL("experiment '", experiment, "': no scalar '", name, "' in the result");
}
const Series& Result::find_series(const std::string& name, const std::string& run) const {
  for (const Series& s : series)
    if (s.name == name && (run.empty() || s.run == run)) return s;
  GL_FAIL("experiment '", experiment, "': no series '", name, "'", run.empty() ? "" : " of run '",
          run, run.empty() ? "" : "'", " in the result");
}
double Result::seconds() const {
  for (const auto& [name, v] : timing)
    if (name == "total") return v;
  return 0;
}
void Result::check(const std::string& name, bool holds, const std::string& detail) {
  checks.push_back({name, holds, detail});
}

// ---- the table --------------------------------------------------------------------------------
const std::vector<Experiment>& all() {
  static const std::vector<Experiment> table = {
      detail::rho_power(),     detail::tanh_saturation(), detail::relu_growth(),
      detail::spectral_drift(), detail::clipping(),       detail::explosion(),
      detail::orthogonal_init(), detail::adding_problem(), detail::lstm_cell_state(),
      detail::recipe(),        detail::gradient_flow(),
  };
  return table;
}

const Experiment& find(const std::string& name) {
  for (const Experiment& e : all())
    if (e.name == name) return e;
  std::vector<std::string> names;
  for (const Experiment& e : all()) names.push_back(e.name);
  GL_FAIL("unknown experiment '", name, "'; the experiments are ", joined(names));
}

}  // namespace gradlab::experiments
