// The seq2seq tasks: number readings checked against a reader written here (text → number,
// plus the spelling rules), not against the generator's own code; the pairs parser's errors.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include "gradlab/gradlab.h"

using namespace gradlab;
using tasks::NumberReading;
using Catch::Matchers::Contains;

namespace {
// ---- a Korean reader: reading → number, failing on anything not written by the rules ----
// Rules: 영 for 0; groups of 만 (units 만 억 조 in decreasing order) separated by one space;
// inside a group 천 백 십 in decreasing order, each after a digit 2..9 or alone (never 일천,
// 일백, 일십); the units digit 일..구; a group that is exactly 1 before 만 is written 만 (not
// 일만), before 억 and 조 it is 일억, 일조.
std::u32string u32(const std::string& s) { return tasks::utf8_to_u32(s, "test"); }

bool read_korean(const std::string& text, uint64_t& out) {
  const std::u32string s = u32(text);
  if (s == U"영") { out = 0; return true; }
  const std::u32string digits = U"일이삼사오육칠팔구";
  const std::map<char32_t, uint64_t> places = {{U'십', 10}, {U'백', 100}, {U'천', 1000}};
  const std::map<char32_t, uint64_t> units = {{U'만', 10000ull}, {U'억', 100000000ull}, {U'조', 1000000000000ull}};
  std::vector<std::u32string> groups;
  std::u32string cur;
  for (char32_t c : s) {
    if (c == U' ') { if (cur.empty()) return false; groups.push_back(cur); cur.clear(); }
    else cur.push_back(c);
  }
  if (cur.empty()) return false;
  groups.push_back(cur);
  uint64_t total = 0, last_unit = ~0ull;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    std::u32string g = groups[gi];
    uint64_t unit = 1;
    if (units.count(g.back())) { unit = units.at(g.back()); g.pop_back(); }
    if (unit >= last_unit) return false;
    if (gi + 1 < groups.size() && unit == 1) return false;  // only the last group has no unit
    last_unit = unit;
    uint64_t value = 0, last_place = 10000;
    if (g.empty()) {
      if (unit != 10000) return false;  // 만 alone; 억 and 조 need 일
      value = 1;
    }
    for (size_t i = 0; i < g.size();) {
      uint64_t d = 1;
      const size_t di = digits.find(g[i]);
      if (di != std::u32string::npos) { d = di + 1; ++i; }
      uint64_t place = 1;
      if (i < g.size() && places.count(g[i])) { place = places.at(g[i]); ++i; }
      else if (di == std::u32string::npos) return false;  // neither digit nor place
      if (place >= last_place) return false;
      if (place > 1 && di != std::u32string::npos && d == 1) return false;  // 일십, 일백, 일천
      last_place = place;
      value += d * place;
    }
    if (unit == 10000 && value == 1 && !g.empty()) return false;  // 일만
    total += value * unit;
  }
  out = total;
  return true;
}

// ---- an English reader: American style, no "and", hyphens between tens and units ----
bool read_english(const std::string& text, uint64_t& out) {
  if (text == "zero") { out = 0; return true; }
  const std::vector<std::string> small = {"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
      "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  const std::vector<std::string> tens = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
  const std::map<std::string, uint64_t> scales = {{"thousand", 1000ull}, {"million", 1000000ull},
      {"billion", 1000000000ull}, {"trillion", 1000000000000ull}};
  if (text.empty() || text.front() == ' ' || text.back() == ' ' || text.find("  ") != std::string::npos) return false;
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  uint64_t total = 0, group = 0, last_scale = ~0ull;
  int stage = 0;  // 0: group start, 1: after hundred, 2: after tens/units
  auto small_value = [&](const std::string& w, uint64_t& v) {
    for (size_t k = 1; k < small.size(); ++k) if (w == small[k]) { v = k; return true; }
    const size_t dash = w.find('-');
    for (size_t k = 2; k < tens.size(); ++k) {
      if (w == tens[k]) { v = 10 * k; return true; }
      if (dash != std::string::npos && w.substr(0, dash) == tens[k]) {
        for (size_t u = 1; u <= 9; ++u) if (w.substr(dash + 1) == small[u]) { v = 10 * k + u; return true; }
      }
    }
    return false;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    uint64_t v = 0;
    if (i + 1 < words.size() && words[i + 1] == "hundred") {
      if (stage != 0 || !small_value(w, v) || v > 9) return false;
      group = 100 * v; stage = 1; ++i;
    } else if (scales.count(w)) {
      const uint64_t s = scales.at(w);
      if (stage == 0 || s >= last_scale) return false;
      total += group * s; group = 0; stage = 0; last_scale = s;
    } else {
      if (stage == 2 || !small_value(w, v)) return false;
      group += v; stage = 2;
    }
  }
  if (stage == 0 && !words.empty() && !scales.count(words.back())) return false;
  out = total + group;
  return true;
}
}  // namespace

TEST_CASE("number readings: spot checks in Korean and English", "[tasks][seq2seq]") {
  const std::vector<std::pair<uint64_t, std::string>> ko = {
      {0, "영"}, {1, "일"}, {10, "십"}, {11, "십일"}, {110, "백십"}, {1001, "천일"}, {1204, "천이백사"},
      {10000, "만"}, {35000, "삼만 오천"}, {110000, "십일만"}, {100000000, "일억"},
      {100010000, "일억 만"}, {1000000000000, "일조"}, {120034, "십이만 삼십사"}};
  for (auto& [n, s] : ko) CHECK(NumberReading::korean(n) == s);
  const std::vector<std::pair<uint64_t, std::string>> en = {
      {0, "zero"}, {13, "thirteen"}, {21, "twenty-one"}, {110, "one hundred ten"}, {1001, "one thousand one"},
      {1204, "one thousand two hundred four"}, {35000, "thirty-five thousand"}, {10000, "ten thousand"},
      {100000000, "one hundred million"}, {2000040, "two million forty"}};
  for (auto& [n, s] : en) CHECK(NumberReading::english(n) == s);
}

TEST_CASE("number readings: every number 0..99999 reads back, by the written rules", "[tasks][seq2seq]") {
  for (uint64_t n = 0; n < 100000; ++n) {
    uint64_t back = ~0ull;
    const std::string ko = NumberReading::korean(n), en = NumberReading::english(n);
    if (!read_korean(ko, back) || back != n) FAIL("Korean " << n << " read as '" << ko << "'");
    back = ~0ull;
    if (!read_english(en, back) || back != n) FAIL("English " << n << " read as '" << en << "'");
  }
  // and larger ones, up to 15 digits
  Rng rng(3);
  for (int k = 0; k < 20000; ++k) {
    const uint64_t n = ((uint64_t(rng.next_u32()) << 32) | rng.next_u32()) % 1000000000000000ull;
    uint64_t a = 0, b = 0;
    INFO(n << ": " << NumberReading::korean(n) << " / " << NumberReading::english(n));
    REQUIRE(read_korean(NumberReading::korean(n), a));
    REQUIRE(read_english(NumberReading::english(n), b));
    CHECK(a == n);
    CHECK(b == n);
  }
  // the readers refuse what the rules forbid
  uint64_t x;
  for (const char* bad : {"일십", "일백", "일천", "일만", "만억", "억", "삼만  오천", "삼만오천", "십십", "삼 만"})
    CHECK_FALSE(read_korean(bad, x));
  for (const char* bad : {"one hundred and four", "twenty one", "hundred", "thousand one", "one one"})
    CHECK_FALSE(read_english(bad, x));
}

TEST_CASE("number readings: batches are the pairs, padded, with BOS and EOS", "[tasks][seq2seq]") {
  for (auto lang : {NumberReading::Language::korean, NumberReading::Language::english}) {
    NumberReading task(lang, 2, 6, 7);
    auto b = task.batch(64);
    const int64_t B = 64, S = b.source.shape()[1], T = b.target.shape()[1];
    REQUIRE(b.decoder_input.shape() == Shape{B, T});
    std::set<size_t> lengths;
    for (int64_t i = 0; i < B; ++i) {
      const std::string& src = b.sources[size_t(i)];
      lengths.insert(src.size());
      CHECK(src.size() >= 2);
      CHECK(src.size() <= 6);
      CHECK(src[0] != '0');
      CHECK(task.reading(std::stoull(src)) == b.targets[size_t(i)]);
      CHECK(b.source_lengths.data()[i] == float(src.size()));
      std::vector<int64_t> s, d, t;
      for (int64_t k = 0; k < S; ++k) s.push_back(int64_t(b.source.data()[i * S + k]));
      for (int64_t k = 0; k < T; ++k) d.push_back(int64_t(b.decoder_input.data()[i * T + k]));
      for (int64_t k = 0; k < T; ++k) t.push_back(int64_t(b.target.data()[i * T + k]));
      CHECK(task.source_vocab().decode(s) == src);
      CHECK(task.target_vocab().decode(t) == b.targets[size_t(i)]);
      CHECK(d[0] == tasks::Vocabulary::kBos);
      const int64_t m = int64_t(b.target_lengths.data()[i]);
      CHECK(t[size_t(m)] == tasks::Vocabulary::kEos);
      for (int64_t k = 0; k < m; ++k) CHECK(d[size_t(k + 1)] == t[size_t(k)]);  // shifted by one
      for (int64_t k = m + 1; k < T; ++k) CHECK(t[size_t(k)] == tasks::Vocabulary::kPad);
    }
    CHECK(lengths.size() == 5);  // 2..6 digits all drawn
    CHECK(task.max_target_length() >= int64_t(T - 1));
  }
  NumberReading ko(NumberReading::Language::korean, 1, 5, 0);
  CHECK(ko.max_target_length() == 10);  // 구만 구천구백구십구
  NumberReading en(NumberReading::Language::english, 3, 3, 0);
  CHECK(en.max_target_length() == 4);  // nine | hundred | ninety- | nine
  NumberReading en5(NumberReading::Language::english, 1, 5, 0);
  CHECK(en5.max_target_length() == 7);  // ninety- nine thousand nine hundred ninety- nine
  CHECK(en5.target_vocab().size() == 3 + 41);
  CHECK(ko.target_vocab().size() == 3 + 17);
}

TEST_CASE("number readings: English tokens are words, a hyphen ends its token, and every reading splits and joins back", "[tasks][seq2seq]") {
  NumberReading en(NumberReading::Language::english, 1, 5, 0), ko(NumberReading::Language::korean, 1, 5, 0);
  CHECK(en.target_vocab().split("twenty-one thousand five", "t") == std::vector<std::string>{"twenty-", "one", "thousand", "five"});
  CHECK(en.target_vocab().join({"twenty-", "one", "thousand", "five"}) == "twenty-one thousand five");
  CHECK(ko.target_vocab().split("삼만 오천", "t") == std::vector<std::string>{"삼", "만", " ", "오", "천"});
  for (uint64_t n = 0; n < 100000; n += 7) {
    for (const NumberReading* t : {&en, &ko}) {
      const std::string r = t->reading(n);
      auto b = t->batch_of({n});
      std::vector<int64_t> ids;
      for (float v : b.target.vec()) ids.push_back(int64_t(v));
      if (t->target_vocab().decode(ids) != r) FAIL(n << ": '" << r << "' decodes as '" << t->target_vocab().decode(ids) << "'");
    }
  }
}

TEST_CASE("number readings: padding the source at the start, seeds, bad arguments", "[tasks][seq2seq]") {
  NumberReading task(NumberReading::Language::korean, 1, 3, 5);
  task.set_pad_source_start(true);
  auto b = task.batch_of({7, 123});
  REQUIRE(b.source.shape() == Shape{2, 3});
  CHECK(b.source.vec() == std::vector<float>{0, 0, 10, 4, 5, 6});  // '0' has id 3
  NumberReading a(NumberReading::Language::english, 1, 8, 9), c(NumberReading::Language::english, 1, 8, 9);
  CHECK(a.batch(16).sources == c.batch(16).sources);
  CHECK_THROWS_WITH(NumberReading(NumberReading::Language::korean, 0, 3, 1), Contains("NumberReading: minDigits") && Contains("got 0"));
  CHECK_THROWS_WITH(NumberReading(NumberReading::Language::korean, 4, 3, 1), Contains("maxDigits") && Contains("got 3"));
  CHECK_THROWS_WITH(NumberReading(NumberReading::Language::korean, 1, 16, 1), Contains("got 16"));
  CHECK_THROWS_WITH(task.batch(0), Contains("NumberReading.batch") && Contains("got 0"));
  CHECK_THROWS_WITH(NumberReading::korean(1000000000000000ull), Contains("NumberReading.korean"));
  CHECK_THROWS_WITH(task.target_vocab().decode({99}), Contains("Vocabulary.decode") && Contains("got 99"));
}

TEST_CASE("pairs: tab or ' -> ', comments and blank lines skipped, errors name the line", "[tasks][seq2seq]") {
  tasks::PairsTask p("# my pairs\ncat\t고양이\n\n  dog -> 개  \r\nbird -> a -> b\n", 1);
  REQUIRE(p.size() == 3);
  CHECK(p.pairs()[0] == std::make_pair(std::string("cat"), std::string("고양이")));
  CHECK(p.pairs()[1] == std::make_pair(std::string("dog"), std::string("개")));
  CHECK(p.pairs()[2] == std::make_pair(std::string("bird"), std::string("a -> b")));
  CHECK(p.lines() == std::vector<int64_t>{2, 4, 5});
  CHECK(p.target_vocab().size() == 3 + 9);  // 고 양 이 개 a, space, -, >, b
  auto b = p.slice(0, 2);
  CHECK(b.targets == std::vector<std::string>{"고양이", "개"});
  CHECK(b.target.shape() == Shape{2, 4});
  CHECK_THROWS_WITH(tasks::PairsTask("a -> b\nno separator\n", 1), Contains("line 2 has no separator"));
  CHECK_THROWS_WITH(tasks::PairsTask("a -> b\n\n -> x", 1), Contains("line 3 has an empty source"));
  CHECK_THROWS_WITH(tasks::PairsTask("a\t ", 1), Contains("line 1 has an empty target"));
  CHECK_THROWS_WITH(tasks::PairsTask("abcdef -> x", 1, 5), Contains("line 1 has a source of 6 characters (at most 5)"));
  CHECK_THROWS_WITH(tasks::PairsTask("a -> b\nc -> d\ne -> f", 1, 64, 2), Contains("line 3") && Contains("more than the 2 pairs"));
  CHECK_THROWS_WITH(tasks::PairsTask("\n# only a comment\n", 1), Contains("no pairs"));
  CHECK_THROWS_WITH(tasks::PairsTask("a -> \xff", 1), Contains("not valid UTF-8"));
  CHECK_THROWS_WITH(p.slice(2, 2), Contains("PairsTask.slice") && Contains("got 2"));
}
