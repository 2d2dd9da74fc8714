// gradlab-cli: the chapter's experiments from a terminal, with the numbers the page plots.
//
//   gradlab-cli list [--json]
//   gradlab-cli run <experiment> [--set name=value ...] [--json] [--progress] [--every N] [--check]
//
// --json prints the result exactly as the browser receives it; --progress streams the rows a
// training run reports (JSON lines, on stderr); --check exits with 3 if the experiment's own
// checks of the article's claim do not all hold. Bad input exits with 2 and says what was wrong.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "gradlab/check.h"
#include "gradlab/experiments.h"

using namespace gradlab;
namespace ex = gradlab::experiments;

namespace {

const char* kUsage =
    "usage:\n"
    "  gradlab-cli list [--json]                      the experiments, their parameters and defaults\n"
    "  gradlab-cli run <experiment> [options]         run one and print what it measured\n"
    "options of run:\n"
    "  --set name=value   set a parameter (repeatable); see `gradlab-cli list`\n"
    "  --json             print the result as JSON (what the browser gets)\n"
    "  --progress         stream progress rows to stderr as JSON lines\n"
    "  --every N          report progress every N training steps (default 10)\n"
    "  --check            exit with 3 unless every check of the claim holds\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "gradlab-cli: " << message << "\n" << kUsage;
  std::exit(2);
}

std::string fmt(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void print_list() {
  for (const ex::Experiment& e : ex::all()) {
    std::cout << e.name << "\n  " << e.claim << "\n  plots: " << e.figure << "\n";
    for (const ex::ParamSpec& s : e.params) {
      std::cout << "    " << s.name << " (" << ex::param_type_name(s.type) << ", default "
                << ex::value_text(s.default_value);
      if (s.type == ex::ParamType::Int || s.type == ex::ParamType::Float)
        std::cout << ", " << fmt(s.min) << ".." << fmt(s.max);
      if (s.type == ex::ParamType::Choice) {
        std::cout << ", one of";
        for (const std::string& c : s.choices) std::cout << " " << c;
      }
      std::cout << "): " << s.help << "\n";
    }
    std::cout << "\n";
  }
}

void print_result(const ex::Experiment& e, const ex::Result& r) {
  std::cout << e.name << ": " << e.claim << "\n\nparameters:";
  for (const auto& [name, value] : r.params.all()) std::cout << " " << name << "=" << ex::value_text(value);
  std::cout << "\n\nmeasured:\n";
  for (const auto& [name, value] : r.scalars) std::printf("  %-32s %s\n", name.c_str(), fmt(value).c_str());
  std::cout << "\nseries (the page's curves):\n";
  for (const ex::Series& s : r.series) {
    std::cout << "  [" << s.plot << "] " << s.name << (s.run.empty() ? "" : " (" + s.run + ")") << ": "
              << s.x.size() << " points";
    if (!s.y.empty()) std::cout << ", " << fmt(s.y.front()) << " -> " << fmt(s.y.back());
    std::cout << "\n";
  }
  for (const ex::Grid& g : r.grids)
    std::cout << "  [grid] " << g.name << " (" << g.run << "): " << g.rows.size() << " " << g.row_label << " x "
              << g.cols.size() << " " << g.col_label << "\n";
  for (const ex::NamedHistogram& h : r.histograms)
    std::cout << "  [histogram] " << h.name << " (" << h.run << "): " << h.histogram.counts.size() << " bins on ["
              << fmt(h.histogram.lo) << ", " << fmt(h.histogram.hi) << "]\n";
  if (!r.checks.empty()) std::cout << "\nthe claim:\n";
  for (const ex::Check& c : r.checks)
    std::cout << "  " << (c.holds ? "holds " : "FAILS ") << c.name << ": " << c.detail << "\n";
  for (const std::string& n : r.notes) std::cout << "  note: " << n << "\n";
  std::cout << "\nwall time:";
  for (const auto& [name, seconds] : r.timing) std::printf(" %s %.2f s", name.c_str(), seconds);
  std::cout << "\n";
}

int run(int argc, char** argv) {
  if (argc < 3) usage_error("run needs an experiment name (see `gradlab-cli list`)");
  const ex::Experiment& e = ex::find(argv[2]);
  std::map<std::string, std::string> sets;
  bool json = false, progress = false, check = false;
  int64_t every = 10;
  for (int k = 3; k < argc; ++k) {
    const std::string arg = argv[k];
    if (arg == "--json") json = true;
    else if (arg == "--progress") progress = true;
    else if (arg == "--check") check = true;
    else if (arg == "--every" || arg == "--set") {
      if (k + 1 >= argc) usage_error(arg + " needs a value");
      const std::string value = argv[++k];
      if (arg == "--every") {
        char* end = nullptr;
        every = std::strtoll(value.c_str(), &end, 10);
        if (*end || every < 1) usage_error("--every needs a positive integer, got '" + value + "'");
        continue;
      }
      const size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0)
        usage_error("--set needs name=value, got '" + value + "'");
      const std::string name = value.substr(0, eq);
      if (sets.count(name)) usage_error("parameter '" + name + "' is set twice");
      sets[name] = value.substr(eq + 1);
    } else {
      usage_error("unknown option '" + arg + "'");
    }
  }
  const ex::Params params = e.parse(sets);
  ex::Progress p;
  p.every = every;
  if (progress) p.callback = [](const ex::ProgressRow& row) {
    std::cerr << ex::to_json(row) << "\n";
    return true;
  };
  const ex::Result r = e.run(params, p);
  if (json) std::cout << ex::to_json(r) << "\n";
  else print_result(e, r);
  if (check)
    for (const ex::Check& c : r.checks)
      if (!c.holds) return 3;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage_error("missing command");
  const std::string command = argv[1];
  try {
    if (command == "list") {
      if (argc > 2 && std::strcmp(argv[2], "--json") == 0) std::cout << ex::list_json() << "\n";
      else if (argc > 2) usage_error("list takes only --json, got '" + std::string(argv[2]) + "'");
      else print_list();
      return 0;
    }
    if (command == "run") return run(argc, argv);
    if (command == "help" || command == "--help" || command == "-h") {
      std::cout << kUsage;
      return 0;
    }
    usage_error("unknown command '" + command + "'");
  } catch (const std::exception& e) {
    std::cerr << "gradlab-cli: " << e.what() << "\n";
    return 2;
  }
}
