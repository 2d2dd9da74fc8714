// Results and experiment descriptions as JSON: what gradlab-cli prints and what the browser
// parses, byte for byte the same. Non-finite numbers (a diverged loss) are written as null.
#include <cmath>
#include <cstdio>
#include "gradlab/text.h"

#include "gradlab/experiments.h"

namespace gradlab::experiments {

namespace {

class Json {
 public:
  std::string str() const { return os_.str(); }

  Json& raw(const char* s) {
    os_ << s;
    return *this;
  }
  Json& string(const std::string& s) {
    os_ << '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"': os_ << "\\\""; break;
        case '\\': os_ << "\\\\"; break;
        case '\n': os_ << "\\n"; break;
        case '\t': os_ << "\\t"; break;
        case '\r': os_ << "\\r"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            os_ << buf;
          } else {
            os_ << char(c);
          }
      }
    }
    os_ << '"';
    return *this;
  }
  Json& number(double v) {
    if (!std::isfinite(v)) return raw("null");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    os_ << buf;
    return *this;
  }
  Json& key(const std::string& k) {
    string(k);
    os_ << ':';
    return *this;
  }
  Json& numbers(const std::vector<double>& v) {
    os_ << '[';
    for (size_t k = 0; k < v.size(); ++k) {
      if (k) os_ << ',';
      number(v[k]);
    }
    os_ << ']';
    return *this;
  }
  Json& value(const Value& v) {
    if (auto* i = std::get_if<int64_t>(&v)) return number(double(*i));
    if (auto* d = std::get_if<double>(&v)) return number(*d);
    if (auto* b = std::get_if<bool>(&v)) return raw(*b ? "true" : "false");
    return string(std::get<std::string>(v));
  }

 private:
  Text os_;
};

void write_histogram(Json& j, const analysis::Histogram& h) {
  j.raw("{").key("lo").number(h.lo).raw(",").key("hi").number(h.hi);
  j.raw(",").key("edges").numbers(h.edges).raw(",").key("counts").numbers(h.counts).raw("}");
}

void write_values(Json& j, const std::vector<std::pair<std::string, double>>& values) {
  j.raw("{");
  for (size_t k = 0; k < values.size(); ++k) {
    if (k) j.raw(",");
    j.key(values[k].first).number(values[k].second);
  }
  j.raw("}");
}

void write_spec(Json& j, const ParamSpec& s) {
  j.raw("{").key("name").string(s.name).raw(",").key("type").string(param_type_name(s.type));
  j.raw(",").key("default").value(s.default_value);
  if (s.type == ParamType::Int || s.type == ParamType::Float)
    j.raw(",").key("min").number(s.min).raw(",").key("max").number(s.max);
  if (s.type == ParamType::Choice) {
    j.raw(",").key("choices").raw("[");
    for (size_t k = 0; k < s.choices.size(); ++k) {
      if (k) j.raw(",");
      j.string(s.choices[k]);
    }
    j.raw("]");
  }
  j.raw(",").key("help").string(s.help).raw("}");
}

void write_experiment(Json& j, const Experiment& e) {
  j.raw("{").key("name").string(e.name).raw(",").key("claim").string(e.claim);
  j.raw(",").key("figure").string(e.figure).raw(",").key("params").raw("[");
  for (size_t k = 0; k < e.params.size(); ++k) {
    if (k) j.raw(",");
    write_spec(j, e.params[k]);
  }
  j.raw("]}");
}

}  // namespace

std::string to_json(const Result& r) {
  Json j;
  j.raw("{").key("experiment").string(r.experiment);
  j.raw(",").key("params").raw("{");
  const auto& params = r.params.all();
  for (size_t k = 0; k < params.size(); ++k) {
    if (k) j.raw(",");
    j.key(params[k].first).value(params[k].second);
  }
  j.raw("},").key("scalars");
  write_values(j, r.scalars);

  j.raw(",").key("series").raw("[");
  for (size_t k = 0; k < r.series.size(); ++k) {
    const Series& s = r.series[k];
    if (k) j.raw(",");
    j.raw("{").key("plot").string(s.plot).raw(",").key("name").string(s.name).raw(",").key("run").string(s.run);
    j.raw(",").key("xLabel").string(s.x_label).raw(",").key("yLabel").string(s.y_label);
    j.raw(",").key("logY").raw(s.log_y ? "true" : "false");
    j.raw(",").key("x").numbers(s.x).raw(",").key("y").numbers(s.y).raw("}");
  }
  j.raw("],").key("grids").raw("[");
  for (size_t k = 0; k < r.grids.size(); ++k) {
    const Grid& g = r.grids[k];
    if (k) j.raw(",");
    j.raw("{").key("name").string(g.name).raw(",").key("run").string(g.run);
    j.raw(",").key("rowLabel").string(g.row_label).raw(",").key("colLabel").string(g.col_label);
    j.raw(",").key("valueLabel").string(g.value_label).raw(",").key("logValues").raw(g.log_values ? "true" : "false");
    j.raw(",").key("rows").numbers(g.rows).raw(",").key("cols").numbers(g.cols).raw(",").key("values").raw("[");
    for (size_t row = 0; row < g.values.shape()[0]; ++row) {
      if (row) j.raw(",");
      std::vector<double> v(g.values.shape()[1]);
      for (size_t col = 0; col < v.size(); ++col) v[col] = g.values(row, col);
      j.numbers(v);
    }
    j.raw("]}");
  }
  j.raw("],").key("histograms").raw("[");
  for (size_t k = 0; k < r.histograms.size(); ++k) {
    if (k) j.raw(",");
    j.raw("{").key("name").string(r.histograms[k].name).raw(",").key("run").string(r.histograms[k].run);
    j.raw(",").key("xLabel").string(r.histograms[k].x_label).raw(",").key("histogram");
    write_histogram(j, r.histograms[k].histogram);
    j.raw("}");
  }
  j.raw("],").key("checks").raw("[");
  for (size_t k = 0; k < r.checks.size(); ++k) {
    if (k) j.raw(",");
    j.raw("{").key("name").string(r.checks[k].name).raw(",").key("holds").raw(r.checks[k].holds ? "true" : "false");
    j.raw(",").key("detail").string(r.checks[k].detail).raw("}");
  }
  j.raw("],").key("notes").raw("[");
  for (size_t k = 0; k < r.notes.size(); ++k) {
    if (k) j.raw(",");
    j.string(r.notes[k]);
  }
  j.raw("],").key("timing");
  write_values(j, r.timing);
  j.raw("}");
  return j.str();
}

std::string to_json(const Experiment& e) {
  Json j;
  write_experiment(j, e);
  return j.str();
}

std::string list_json() {
  Json j;
  j.raw("[");
  const auto& table = all();
  for (size_t k = 0; k < table.size(); ++k) {
    if (k) j.raw(",");
    write_experiment(j, table[k]);
  }
  j.raw("]");
  return j.str();
}

std::string to_json(const ProgressRow& row) {
  Json j;
  j.raw("{").key("run").string(row.run).raw(",").key("step").number(double(row.step));
  j.raw(",").key("total").number(double(row.total)).raw(",").key("values");
  write_values(j, row.values);
  j.raw("}");
  return j.str();
}

}  // namespace gradlab::experiments
