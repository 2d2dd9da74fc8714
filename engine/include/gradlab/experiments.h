// The experiments of article 004's chapter, by name: each reproduces one claim of the article
// from a seed and returns the numbers and curves the chapter plots. The same code runs in the
// browser (gl.experiments.run) and in a terminal (gradlab-cli run <name> --set k=v --json).
//
//   const Experiment& e = experiments::find("rho-power");
//   Params p = e.parse({{"rho", "1.1"}});      // typed, checked, defaults filled in
//   Result r = e.run(p, {});                    // scalars, series, histories, histograms
//   std::string json = to_json(r);
//
// Bad input throws gradlab::Error naming the experiment, the parameter and the value.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "gradlab/analysis.h"

namespace gradlab::experiments {

// ---- parameters -----------------------------------------------------------------------------

enum class ParamType { Int, Float, Bool, Choice };
const char* param_type_name(ParamType type);  // "int", "float", "bool", "choice"

using Value = std::variant<int64_t, double, bool, std::string>;

struct ParamSpec {
  std::string name;
  ParamType type;
  Value default_value;
  double min = 0, max = 0;            // Int and Float: the inclusive range
  std::vector<std::string> choices;   // Choice
  std::string help;

  static ParamSpec integer(std::string name, int64_t def, int64_t min, int64_t max, std::string help);
  static ParamSpec real(std::string name, double def, double min, double max, std::string help);
  static ParamSpec boolean(std::string name, bool def, std::string help);
  static ParamSpec choice(std::string name, std::string def, std::vector<std::string> choices,
                          std::string help);
};

// An experiment's parameters, every one set (defaults filled in) and in range.
class Params {
 public:
  int64_t integer(const std::string& name) const;
  double real(const std::string& name) const;  // a Float (or an Int, widened)
  bool boolean(const std::string& name) const;
  const std::string& choice(const std::string& name) const;
  const std::vector<std::pair<std::string, Value>>& all() const { return values_; }
  void set(const std::string& name, Value v);

 private:
  const Value& get(const std::string& name) const;
  std::vector<std::pair<std::string, Value>> values_;  // in the experiment's spec order
};

// ---- results --------------------------------------------------------------------------------

// One curve. Curves with the same `plot` belong in one chart; `run` tells the runs apart.
struct Series {
  std::string plot, name, run;
  std::string x_label, y_label;
  bool log_y = false;
  std::vector<double> x, y;  // non-finite y (a diverged loss) is written as null
};

// A 2-D history, e.g. ‖∂L/∂h_t‖ per time step (cols) per logged training step (rows).
struct Grid {
  std::string name, run;
  std::string row_label, col_label, value_label;
  bool log_values = false;
  std::vector<double> rows, cols;
  xt::xtensor<double, 2> values;  // (rows, cols)
};

struct NamedHistogram {
  std::string name, run, x_label;
  analysis::Histogram histogram;
};

// What the experiment concludes against the article's statement, from its own measurements.
struct Check {
  std::string name;       // "rho_eff below 1"
  bool holds = false;
  std::string detail;     // "ρ_eff = 0.61 (ρ = 1.000, E[σ'] = 0.61)"
};

struct Result {
  std::string experiment;
  Params params;
  std::vector<std::pair<std::string, double>> scalars;  // in the order they were measured
  std::vector<Series> series;
  std::vector<Grid> grids;
  std::vector<NamedHistogram> histograms;
  std::vector<Check> checks;
  std::vector<std::string> notes;
  // Wall times in seconds ("lstm" -> 9.1, ...; "total" is all of run()): the only numbers
  // that differ between two runs with the same parameters, kept apart for that reason.
  std::vector<std::pair<std::string, double>> timing;
  double seconds() const;  // timing["total"]

  void scalar(const std::string& name, double value);
  double scalar(const std::string& name) const;  // an error if absent
  bool has_scalar(const std::string& name) const;
  const Series& find_series(const std::string& name, const std::string& run = "") const;
  void check(const std::string& name, bool holds, const std::string& detail);
};

// ---- running --------------------------------------------------------------------------------

// A training experiment reports while it runs: one row of values (loss, gradient norm, ρ, ...)
// per logged step. The callback returns false to stop the run early (the result then holds
// what was measured so far and a note saying where it stopped).
struct ProgressRow {
  std::string run;      // which model or variant is training ("lstm", "no clipping", ...)
  int64_t step = 0;     // training steps done in this run
  int64_t total = 0;    // of this many
  std::vector<std::pair<std::string, double>> values;
};
struct Progress {
  std::function<bool(const ProgressRow&)> callback;  // may be empty
  int64_t every = 10;                                  // report every this many steps
};

struct Experiment {
  std::string name;     // "rho-power"
  std::string claim;    // the article's statement, in one English sentence
  std::string figure;   // what the chapter plots
  std::vector<ParamSpec> params;
  std::function<Result(const Params&, const Progress&)> body;

  // `sets`: name -> value as text (the CLI's --set, the JS API's values turned to text).
  Params parse(const std::map<std::string, std::string>& sets) const;
  Result run(const Params& params, const Progress& progress = {}) const;
};

const std::vector<Experiment>& all();
const Experiment& find(const std::string& name);  // an error listing the names if unknown

// ---- JSON -----------------------------------------------------------------------------------
std::string to_json(const Result& r);
std::string to_json(const Experiment& e);       // name, claim, figure, params with defaults
std::string list_json();                        // every experiment
std::string to_json(const ProgressRow& row);
std::string value_text(const Value& v);         // 0.9 -> "0.9", true -> "true"

}  // namespace gradlab::experiments
