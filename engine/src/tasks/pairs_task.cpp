// The reader's own source → target pairs, parsed from text (format in tasks.h).
#include "gradlab/check.h"
#include "gradlab/tasks.h"

namespace gradlab::tasks {

namespace {
std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return s.substr(a, b - a);
}
}  // namespace

PairsTask::PairsTask(const std::string& text, uint64_t seed, int64_t max_length, int64_t max_pairs)
    : rng_(seed) {
  const char* who = who_ = "PairsTask";
  GL_CHECK(max_length >= 1 && max_length <= kMaxLength, who, ": maxLength must be in [1, ", kMaxLength,
           "], got ", max_length);
  GL_CHECK(max_pairs >= 1 && max_pairs <= kMaxPairs, who, ": maxPairs must be in [1, ", kMaxPairs,
           "], got ", max_pairs);
  std::vector<std::string> src_chars, tgt_chars;
  int64_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    size_t cut = line.find('\t'), len = 1;
    if (cut == std::string::npos) cut = line.find(" -> "), len = 4;
    GL_CHECK(cut != std::string::npos, who, ": line ", line_no,
             " has no separator (a tab or ' -> ' between the source and the target): '", t, "'");
    const std::string a = trim(line.substr(0, cut)), b = trim(line.substr(cut + len));
    GL_CHECK(!a.empty(), who, ": line ", line_no, " has an empty source (before the separator)");
    GL_CHECK(!b.empty(), who, ": line ", line_no, " has an empty target (after the separator)");
    const std::u32string ua = utf8_to_u32(a, who), ub = utf8_to_u32(b, who);
    GL_CHECK(int64_t(ua.size()) <= max_length, who, ": line ", line_no, " has a source of ", ua.size(),
             " characters (at most ", max_length, ")");
    GL_CHECK(int64_t(ub.size()) <= max_length, who, ": line ", line_no, " has a target of ", ub.size(),
             " characters (at most ", max_length, ")");
    GL_CHECK(int64_t(pairs_.size()) < max_pairs, who, ": line ", line_no, " is pair number ",
             pairs_.size() + 1, ", more than the ", max_pairs, " pairs allowed");
    for (char32_t c : ua) src_chars.push_back(u32_to_utf8(std::u32string(1, c)));
    for (char32_t c : ub) tgt_chars.push_back(u32_to_utf8(std::u32string(1, c)));
    pairs_.emplace_back(a, b);
    lines_.push_back(line_no);
  }
  GL_CHECK(!pairs_.empty(), who, ": the text has no pairs (one per line: source, a tab or ' -> ', target)");
  source_vocab_ = Vocabulary(src_chars, false);
  target_vocab_ = Vocabulary(tgt_chars, false);
}

SeqBatch PairsTask::batch(int64_t B) {
  GL_CHECK(B > 0 && B <= 100000, "PairsTask.batch: batch size must be in [1, 100000], got ", B);
  std::vector<std::pair<std::string, std::string>> chosen;
  for (int64_t b = 0; b < B; ++b) chosen.push_back(pairs_[rng_.below(uint32_t(pairs_.size()))]);
  return make_batch(chosen);
}

SeqBatch PairsTask::slice(int64_t start, int64_t count) const {
  const int64_t n = size();
  GL_CHECK(start >= 0 && start < n, "PairsTask.slice: start must be in [0, ", n - 1, "], got ", start);
  GL_CHECK(count >= 1 && start + count <= n, "PairsTask.slice: count must be in [1, ", n - start,
           "] from start ", start, ", got ", count);
  return make_batch({pairs_.begin() + start, pairs_.begin() + start + count});
}

}  // namespace gradlab::tasks
