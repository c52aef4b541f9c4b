// --raw RATE:ENCODING:CHANNELS: headerless PCM described on the command line, as sox's -t raw and
// ffmpeg's -f s16le are.
#include "cqtcnn/audio.hpp"

#include "cqtcnn/error.hpp"

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace cqtcnn {
namespace {

struct Encoding {
  const char* name;
  int subtype;
  int endian;
};

constexpr std::array kEncodings{
    Encoding{"u8", SF_FORMAT_PCM_U8, SF_ENDIAN_FILE},      Encoding{"s8", SF_FORMAT_PCM_S8, SF_ENDIAN_FILE},
    Encoding{"s16le", SF_FORMAT_PCM_16, SF_ENDIAN_LITTLE}, Encoding{"s16be", SF_FORMAT_PCM_16, SF_ENDIAN_BIG},
    Encoding{"s24le", SF_FORMAT_PCM_24, SF_ENDIAN_LITTLE}, Encoding{"s24be", SF_FORMAT_PCM_24, SF_ENDIAN_BIG},
    Encoding{"s32le", SF_FORMAT_PCM_32, SF_ENDIAN_LITTLE}, Encoding{"s32be", SF_FORMAT_PCM_32, SF_ENDIAN_BIG},
    Encoding{"f32le", SF_FORMAT_FLOAT, SF_ENDIAN_LITTLE},  Encoding{"f32be", SF_FORMAT_FLOAT, SF_ENDIAN_BIG},
    Encoding{"f64le", SF_FORMAT_DOUBLE, SF_ENDIAN_LITTLE}, Encoding{"f64be", SF_FORMAT_DOUBLE, SF_ENDIAN_BIG},
    Encoding{"ulaw", SF_FORMAT_ULAW, SF_ENDIAN_FILE},      Encoding{"alaw", SF_FORMAT_ALAW, SF_ENDIAN_FILE},
};

// "S16_LE" -> "s16le"
std::string canonical(std::string s) {
  std::erase(s, '_');
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

const Encoding* find_encoding(const std::string& name) {
  for (const Encoding& e : kEncodings)
    if (canonical(name) == e.name) return &e;
  return nullptr;
}

bool parse_int(const std::string& text, int& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

RawFormat RawFormat::parse(const std::string& spec) {
  const auto first = spec.find(':');
  const auto second = first == std::string::npos ? first : spec.find(':', first + 1);
  const auto refuse = [&](const std::string& problem) {
    throw InvalidInput("--raw: " + problem + " in \"" + spec + "\" (expected RATE:ENCODING:CHANNELS, e.g. 16000:s16le:1)");
  };
  if (second == std::string::npos || spec.find(':', second + 1) != std::string::npos) refuse("not three fields");
  RawFormat f;
  f.encoding = spec.substr(first + 1, second - first - 1);
  if (!parse_int(spec.substr(0, first), f.sample_rate) || f.sample_rate < 100 || f.sample_rate > 10'000'000)
    refuse("the rate must be a whole number of Hz in [100, 10000000]");
  if (!parse_int(spec.substr(second + 1), f.channels) || f.channels < 1 || f.channels > 1024)
    refuse("the channels must be a whole number in [1, 1024]");
  if (!find_encoding(f.encoding)) {
    std::string names;
    for (const Encoding& e : kEncodings) names += (names.empty() ? "" : ", ") + std::string(e.name);
    refuse("unknown encoding \"" + f.encoding + "\" (" + names + ")");
  }
  f.encoding = find_encoding(f.encoding)->name;
  return f;
}

int RawFormat::sndfile_format() const {
  const Encoding* e = find_encoding(encoding);
  if (!e) throw InvalidInput("--raw: unknown encoding \"" + encoding + "\"");
  return SF_FORMAT_RAW | e->subtype | e->endian;
}

}  // namespace cqtcnn
