// Synthetic sequence tasks that need long memory, generated from a seed.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gradlab/rng.h"
#include "gradlab/tensor.h"

namespace gradlab::tasks {

struct Batch {
  Tensor x;  // inputs, (B, T, features)
  Tensor y;  // targets
};

// The adding problem (Hochreiter & Schmidhuber 1997; the form of Le, Jaitly & Hinton 2015).
// Each step carries a value u ~ U[0, 1) and a marker; exactly two steps are marked, one in
// each half of the sequence. The target is the sum of the two marked values.
// x (B, T, 2) = [u_t, marker_t], y (B, 1). Predicting the mean 1 scores MSE = 1/6.
class AddingProblem {
 public:
  AddingProblem(int64_t length, uint64_t seed);
  Batch batch(int64_t batch_size);
  int64_t length() const { return length_; }
  static constexpr double kBaselineMSE = 1.0 / 6.0;  // Var(u1 + u2) = 2 · 1/12

 private:
  int64_t length_;
  Rng rng_;
};

// The copy (memory) task (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016): read
// `symbols` random symbols, wait `delay` steps, see a "go" marker, then write the symbols
// back. Symbol ids are 1..alphabet; 0 is blank and alphabet + 1 is the marker.
// x (B, T, alphabet + 2) one-hot, y (B, T) the id expected at each step (blank until the
// recall), T = delay + 2 · symbols.
class CopyTask {
 public:
  CopyTask(int64_t symbols, int64_t delay, int64_t alphabet, uint64_t seed);
  Batch batch(int64_t batch_size);
  int64_t length() const { return delay_ + 2 * symbols_; }
  int64_t classes() const { return alphabet_ + 2; }
  // Cross-entropy of a model that outputs blank until the recall and guesses uniformly then.
  double baseline_cross_entropy() const;

 private:
  int64_t symbols_, delay_, alphabet_;
  Rng rng_;
};

// ---- sequence-to-sequence tasks (number readings, the reader's own pairs) -------------------
// Text is UTF-8. A token is one character (one Unicode code point: a Korean syllable, a digit,
// a space), except in English number readings, whose tokens are words (see NumberReading).

// A token vocabulary: ids 0, 1, 2 are PAD, BOS (begin of sequence: the decoder's first input)
// and EOS (end of sequence: the decoder's last target); the tokens follow from 3, in the order
// given (repeats ignored).
class Vocabulary {
 public:
  static constexpr int64_t kPad = 0, kBos = 1, kEos = 2;
  Vocabulary() = default;
  Vocabulary(const std::vector<std::string>& tokens, bool words);
  int64_t size() const { return int64_t(tokens_.size()) + 3; }
  bool words() const { return words_; }
  int64_t id(const std::string& token) const;  // throws for a token not in the vocabulary
  // "<pad>", "<bos>", "<eos>" or the token; throws for an id out of range
  std::string token(int64_t id) const;
  // Text to tokens: its characters, or (words) the words between spaces, a hyphenated word
  // cut after its hyphen ("twenty-one" → "twenty-", "one").
  std::vector<std::string> split(const std::string& text, const char* who) const;
  // Tokens back to text: characters joined as they are; words joined by spaces, except after
  // a token ending in '-'.
  std::string join(const std::vector<std::string>& tokens) const;
  // ids to text: stops at the first EOS, skips PAD and BOS; an id out of range throws
  std::string decode(const std::vector<int64_t>& ids) const;

 private:
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int64_t> ids_;
  bool words_ = false;
};

std::u32string utf8_to_u32(const std::string& s, const char* who);  // throws on bad UTF-8
std::string u32_to_utf8(const std::u32string& s);

// A batch of pairs as padded id tensors (float ids, as the engine's tensors hold them):
//   source         (B, S)  source ids, PAD after the end (or before the start, see below)
//   decoder_input  (B, T)  BOS, then the target's ids, PAD after
//   target         (B, T)  the target's ids, EOS, PAD after: what the decoder must say at each
//                          step given decoder_input up to that step
//   source_lengths (B), target_lengths (B)  tokens, without BOS/EOS
// S is the longest source in the batch, T the longest target + 1.
struct SeqBatch {
  Tensor source, decoder_input, target, source_lengths, target_lengths;
  std::vector<std::string> sources, targets;  // the text of each pair
};

// What the two seq2seq tasks share: two vocabularies and the batch maker.
class SeqTask {
 public:
  virtual ~SeqTask() = default;
  const Vocabulary& source_vocab() const { return source_vocab_; }
  const Vocabulary& target_vocab() const { return target_vocab_; }
  SeqBatch make_batch(const std::vector<std::pair<std::string, std::string>>& pairs) const;
  // pad_start: the source's PAD goes before its tokens, so that an encoder's last step is
  // always the source's last token
  bool pad_source_start() const { return pad_start_; }
  void set_pad_source_start(bool v) { pad_start_ = v; }

 protected:
  Vocabulary source_vocab_, target_vocab_;
  bool pad_start_ = false;
  const char* who_ = "SeqTask";
};

// Number readings: Arabic numerals to words, in Korean (Sino-Korean numerals) or English.
// Korean rules (NumberReading::korean):
//   0 → 영. The number is cut into groups of four digits from the right, with the units
//   (none), 만, 억, 조. Within a group 천, 백, 십 follow their digit, and a digit 1 is not read
//   before them (1111 → 천백십일); a 0 digit is not read. A group reading 1 before 만 is just
//   만 (10000 → 만, 110000 → 십일만, 100010000 → 일억 만), before 억 and 조 it keeps 일
//   (일억, 일조). Groups that are all zeros are left out; groups are separated by a space, as
//   Korean spacing writes numbers in units of 만 (35000 → 삼만 오천, 1204 → 천이백사).
// English rules (NumberReading::english):
//   0 → zero. Groups of three digits from the right with the scale words thousand, million,
//   billion, trillion; a group reads "<digit> hundred" then its last two digits: one … nineteen,
//   or a tens word (twenty … ninety) joined to a nonzero unit by a hyphen (twenty-one). No
//   "and", no commas; zero groups are left out; words separated by single spaces
//   (1204 → one thousand two hundred four).
// The source is the numeral's digits without separators ("35000"), one token per digit. The
// target's tokens are characters in Korean (syllables and the space: 17 tokens) and words in
// English (zero … nineteen, twenty … ninety, the same with a hyphen for "twenty-" in
// "twenty-one", hundred and the scale words: 41 tokens), so that 5 digits read in at most 10
// Korean or 7 English tokens.
class NumberReading : public SeqTask {
 public:
  enum class Language { korean, english };
  static constexpr int64_t kMaxDigits = 15;
  // Numbers with min_digits..max_digits digits: the digit count uniform in the range, then
  // the number uniform among those with that many digits (one digit: 0..9).
  NumberReading(Language language, int64_t min_digits, int64_t max_digits, uint64_t seed);
  static std::string korean(uint64_t n);
  static std::string english(uint64_t n);
  std::string reading(uint64_t n) const;
  uint64_t sample();  // one number from the generator
  SeqBatch batch(int64_t batch_size);
  SeqBatch batch_of(const std::vector<uint64_t>& numbers) const;
  int64_t min_digits() const { return min_digits_; }
  int64_t max_digits() const { return max_digits_; }
  Language language() const { return language_; }
  int64_t max_target_length() const;  // the longest reading in the digit range, in tokens

 private:
  Language language_;
  int64_t min_digits_, max_digits_;
  Rng rng_;
};

// The reader's own pairs, from text: one pair per line, the source and the target separated
// by a tab or by " -> " (the first of them on the line; a line with a tab is split at the
// tab). Lines that are empty (or only spaces) and lines starting with '#' are skipped;
// spaces around each side are trimmed. Errors name the line: no separator, an empty side,
// a side longer than max_length characters, more than max_pairs pairs. Vocabularies are the
// characters found, in order of first appearance; a token is a character.
class PairsTask : public SeqTask {
 public:
  static constexpr int64_t kMaxPairs = 20000, kMaxLength = 200;
  PairsTask(const std::string& text, uint64_t seed, int64_t max_length = 64,
            int64_t max_pairs = 5000);
  int64_t size() const { return int64_t(pairs_.size()); }
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }
  const std::vector<int64_t>& lines() const { return lines_; }  // each pair's line number
  SeqBatch batch(int64_t batch_size);                 // pairs drawn uniformly (seeded)
  SeqBatch slice(int64_t start, int64_t count) const;  // pairs start .. start + count - 1

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  std::vector<int64_t> lines_;
  Rng rng_;
};

}  // namespace gradlab::tasks
