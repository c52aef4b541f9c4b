#include "cqtcnn/audio.hpp"

#include <algorithm>
#include <cctype>

namespace cqtcnn {

const std::vector<std::string>& audio_extensions() {
  // libsndfile's SFC_GET_FORMAT_MAJOR and SFC_GET_SIMPLE_FORMAT extensions, then aliases.
  static const std::vector<std::string> extensions = {
      "wav",  "flac", "ogg",  "oga", "opus", "mp3", "m1a", "aiff", "aifc", "au",  "caf", "w64",
      "rf64", "avr",  "htk",  "iff", "paf",  "pvf", "sd2", "sds",  "sf",   "voc", "wve", "xi",
      "aif",  "snd",  "mp2",  "svx", "8svx", "sph", "nist"};
  return extensions;
}

bool has_audio_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  if (ext.empty()) return false;
  ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  const auto& known = audio_extensions();
  return std::find(known.begin(), known.end(), ext) != known.end();
}

}  // namespace cqtcnn
