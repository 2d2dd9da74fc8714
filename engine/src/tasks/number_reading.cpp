// Number readings (Korean and English) and what the seq2seq tasks share: the character
// vocabulary, UTF-8 and the padded batches. The rules are written down in tasks.h.
#include <algorithm>

#include "gradlab/check.h"
#include "gradlab/tasks.h"

namespace gradlab::tasks {

// ---- UTF-8 -------------------------------------------------------------------------------
std::u32string utf8_to_u32(const std::string& s, const char* who) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    GL_CHECK(extra >= 0, who, ": the text is not valid UTF-8 (byte ", i, ")");
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra; ++k) {
      GL_CHECK(i + k < s.size() && (static_cast<unsigned char>(s[i + k]) >> 6) == 2, who,
               ": the text is not valid UTF-8 (byte ", i + k, ")");
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += size_t(extra) + 1;
  }
  return out;
}

std::string u32_to_utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(char(c));
    } else if (c < 0x800) {
      out.push_back(char(0xC0 | (c >> 6)));
      out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(char(0xE0 | (c >> 12)));
      out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(char(0x80 | (c & 0x3F)));
    } else {
      out.push_back(char(0xF0 | (c >> 18)));
      out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(char(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// ---- Vocabulary ----------------------------------------------------------------------------
Vocabulary::Vocabulary(const std::vector<std::string>& tokens, bool words) : words_(words) {
  for (const auto& t : tokens) {
    if (ids_.count(t)) continue;
    ids_[t] = int64_t(tokens_.size()) + 3;
    tokens_.push_back(t);
  }
}

int64_t Vocabulary::id(const std::string& t) const {
  auto it = ids_.find(t);
  GL_CHECK(it != ids_.end(), "Vocabulary: the ", words_ ? "word" : "character", " '", t, "' is not in the vocabulary");
  return it->second;
}

std::string Vocabulary::token(int64_t id) const {
  GL_CHECK(id >= 0 && id < size(), "Vocabulary.token: id must be in [0, ", size() - 1, "], got ", id);
  if (id == kPad) return "<pad>";
  if (id == kBos) return "<bos>";
  if (id == kEos) return "<eos>";
  return tokens_[size_t(id - 3)];
}

std::vector<std::string> Vocabulary::split(const std::string& text, const char* who) const {
  std::vector<std::string> out;
  if (!words_) {
    for (char32_t c : utf8_to_u32(text, who)) out.push_back(u32_to_utf8(std::u32string(1, c)));
    return out;
  }
  std::string word;
  for (char c : text) {
    if (c == ' ') {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else {
      word.push_back(c);
      if (c == '-') out.push_back(word), word.clear();
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

std::string Vocabulary::join(const std::vector<std::string>& tokens) const {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (words_ && i > 0 && out.back() != '-') out.push_back(' ');
    out += tokens[i];
  }
  return out;
}

std::string Vocabulary::decode(const std::vector<int64_t>& ids) const {
  std::vector<std::string> out;
  for (int64_t id : ids) {
    GL_CHECK(id >= 0 && id < size(), "Vocabulary.decode: id must be in [0, ", size() - 1, "], got ", id);
    if (id == kEos) break;
    if (id == kPad || id == kBos) continue;
    out.push_back(tokens_[size_t(id - 3)]);
  }
  return join(out);
}

// ---- batches ---------------------------------------------------------------------------------
SeqBatch SeqTask::make_batch(const std::vector<std::pair<std::string, std::string>>& pairs) const {
  const int64_t B = int64_t(pairs.size());
  GL_CHECK(B > 0, who_, ": a batch needs at least one pair");
  std::vector<std::vector<std::string>> src, tgt;
  int64_t S = 1, T = 1;
  for (const auto& [a, b] : pairs) {
    src.push_back(source_vocab_.split(a, who_));
    tgt.push_back(target_vocab_.split(b, who_));
    S = std::max<int64_t>(S, int64_t(src.back().size()));
    T = std::max<int64_t>(T, int64_t(tgt.back().size()) + 1);
  }
  SeqBatch r;
  r.source = Tensor::zeros({B, S});  // PAD = 0
  r.decoder_input = Tensor::zeros({B, T});
  r.target = Tensor::zeros({B, T});
  r.source_lengths = Tensor::zeros({B});
  r.target_lengths = Tensor::zeros({B});
  for (int64_t b = 0; b < B; ++b) {
    const auto& s = src[size_t(b)];
    const auto& t = tgt[size_t(b)];
    const int64_t n = int64_t(s.size()), m = int64_t(t.size());
    const int64_t offset = pad_start_ ? S - n : 0;
    for (int64_t i = 0; i < n; ++i) r.source.data()[b * S + offset + i] = float(source_vocab_.id(s[size_t(i)]));
    r.decoder_input.data()[b * T] = float(Vocabulary::kBos);
    for (int64_t i = 0; i < m; ++i) {
      const float id = float(target_vocab_.id(t[size_t(i)]));
      r.decoder_input.data()[b * T + i + 1] = id;
      r.target.data()[b * T + i] = id;
    }
    r.target.data()[b * T + m] = float(Vocabulary::kEos);
    r.source_lengths.data()[b] = float(n);
    r.target_lengths.data()[b] = float(m);
    r.sources.push_back(pairs[size_t(b)].first);
    r.targets.push_back(pairs[size_t(b)].second);
  }
  return r;
}

// ---- number readings ---------------------------------------------------------------------------
namespace {
const char* const kKoDigits[10] = {"", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"};
const char* const kKoPlaces[4] = {"", "십", "백", "천"};
const char* const kKoUnits[4] = {"", "만", "억", "조"};

std::string korean_group(int g) {  // 1..9999
  std::string out;
  for (int p = 3; p >= 0; --p) {
    int p10 = 1;
    for (int k = 0; k < p; ++k) p10 *= 10;
    const int d = (g / p10) % 10;
    if (d == 0) continue;
    if (!(d == 1 && p > 0)) out += kKoDigits[d];
    out += kKoPlaces[p];
  }
  return out;
}

const char* const kEnOnes[20] = {"", "one", "two", "three", "four", "five", "six", "seven",
                                 "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                                 "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                                 "nineteen"};
const char* const kEnTens[10] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty",
                                 "seventy", "eighty", "ninety"};
const char* const kEnScales[5] = {"", "thousand", "million", "billion", "trillion"};

std::string english_group(int g) {  // 1..999
  std::string out;
  auto add = [&](const std::string& w) { out += (out.empty() ? "" : " ") + w; };
  if (g >= 100) add(std::string(kEnOnes[g / 100]) + " hundred");
  const int r = g % 100;
  if (r >= 20) add(std::string(kEnTens[r / 10]) + (r % 10 ? std::string("-") + kEnOnes[r % 10] : ""));
  else if (r > 0) add(kEnOnes[r]);
  return out;
}

uint64_t pow10(int64_t k) {
  uint64_t p = 1;
  for (int64_t i = 0; i < k; ++i) p *= 10;
  return p;
}
}  // namespace

std::string NumberReading::korean(uint64_t n) {
  GL_CHECK(n < pow10(kMaxDigits), "NumberReading.korean: n must have at most ", kMaxDigits, " digits, got ", n);
  if (n == 0) return "영";
  std::string out;
  for (int u = 3; u >= 0; --u) {
    const int g = int((n / pow10(4 * u)) % 10000);
    if (g == 0) continue;
    if (!out.empty()) out += " ";
    if (!(g == 1 && u == 1)) out += korean_group(g);
    out += kKoUnits[u];
  }
  return out;
}

std::string NumberReading::english(uint64_t n) {
  GL_CHECK(n < pow10(kMaxDigits), "NumberReading.english: n must have at most ", kMaxDigits, " digits, got ", n);
  if (n == 0) return "zero";
  std::string out;
  for (int s = 4; s >= 0; --s) {
    const int g = int((n / pow10(3 * s)) % 1000);
    if (g == 0) continue;
    if (!out.empty()) out += " ";
    out += english_group(g);
    if (s > 0) out += std::string(" ") + kEnScales[s];
  }
  return out;
}

NumberReading::NumberReading(Language language, int64_t min_digits, int64_t max_digits, uint64_t seed)
    : language_(language), min_digits_(min_digits), max_digits_(max_digits), rng_(seed) {
  who_ = "NumberReading";
  GL_CHECK(min_digits >= 1 && min_digits <= kMaxDigits, "NumberReading: minDigits must be in [1, ",
           kMaxDigits, "], got ", min_digits);
  GL_CHECK(max_digits >= min_digits && max_digits <= kMaxDigits, "NumberReading: maxDigits must be in [minDigits = ",
           min_digits, ", ", kMaxDigits, "], got ", max_digits);
  source_vocab_ = Vocabulary({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, false);
  if (language == Language::korean) {
    target_vocab_ = Vocabulary({"영", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구", "십", "백", "천", "만", "억", "조", " "}, false);
  } else {
    std::vector<std::string> words = {"zero"};
    for (int k = 1; k < 20; ++k) words.push_back(kEnOnes[k]);
    for (int k = 2; k < 10; ++k) words.push_back(kEnTens[k]);
    for (int k = 2; k < 10; ++k) words.push_back(std::string(kEnTens[k]) + "-");
    words.push_back("hundred");
    for (int k = 1; k < 5; ++k) words.push_back(kEnScales[k]);
    target_vocab_ = Vocabulary(words, true);
  }
}

std::string NumberReading::reading(uint64_t n) const {
  return language_ == Language::korean ? korean(n) : english(n);
}

uint64_t NumberReading::sample() {
  const int64_t digits = min_digits_ + int64_t(rng_.below(uint32_t(max_digits_ - min_digits_ + 1)));
  if (digits == 1) return rng_.below(10);
  const uint64_t lo = pow10(digits - 1), span = pow10(digits) - lo;
  // span < 2^53: two draws of 32 bits, reduced (the bias, at most span / 2^64, is far below
  // anything a batch can show)
  const uint64_t r = (uint64_t(rng_.next_u32()) << 32) | rng_.next_u32();
  return lo + r % span;
}

SeqBatch NumberReading::batch_of(const std::vector<uint64_t>& numbers) const {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (uint64_t n : numbers) {
    GL_CHECK(n < pow10(kMaxDigits), "NumberReading.batchOf: numbers must have at most ", kMaxDigits,
             " digits, got ", n);
    pairs.emplace_back(std::to_string(n), reading(n));
  }
  return make_batch(pairs);
}

SeqBatch NumberReading::batch(int64_t B) {
  GL_CHECK(B > 0 && B <= 100000, "NumberReading.batch: batch size must be in [1, 100000], got ", B);
  std::vector<uint64_t> numbers;
  for (int64_t b = 0; b < B; ++b) numbers.push_back(sample());
  return batch_of(numbers);
}

int64_t NumberReading::max_target_length() const {
  // Each nonzero group adds its own reading plus a fixed unit and space, so the longest
  // reading takes, group by group, the value whose reading is longest (the leading group
  // only among values with its number of digits).
  const bool ko = language_ == Language::korean;
  const int64_t w = ko ? 4 : 3;
  int64_t best = 0;
  for (int64_t d = min_digits_; d <= max_digits_; ++d) {
    uint64_t n = 0;
    for (int64_t left = d; left > 0;) {
      const int64_t k = left % w ? left % w : w;  // digits in this group
      const int lo = k == 1 ? 0 : int(pow10(k - 1)), hi = int(pow10(k)) - 1;
      int arg = lo;
      size_t len = 0;
      for (int g = hi; g >= std::max(lo, 1); --g) {  // the largest of the longest (no lone 일 before 만)
        const size_t l = target_vocab_.split(ko ? korean_group(g) : english_group(g), who_).size();
        if (l > len) len = l, arg = g;
      }
      n = n * pow10(k) + uint64_t(arg);
      left -= k;
    }
    best = std::max<int64_t>(best, int64_t(target_vocab_.split(reading(n), who_).size()));
  }
  return best;
}

}  // namespace gradlab::tasks
