// Which names count as audio in a folder: the list must cover every format this libsndfile
// reports it reads (asked through sf_command, not copied), apart from the documented exceptions,
// and ordinary non-audio names must not match.
#include "cqtcnn/audio.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <set>
#include <string>

namespace {

std::set<std::string> libsndfile_extensions(int count_command, int info_command) {
  int count = 0;
  sf_command(nullptr, count_command, &count, sizeof count);
  std::set<std::string> out;
  for (int i = 0; i < count; ++i) {
    SF_FORMAT_INFO info{};
    info.format = i;
    sf_command(nullptr, info_command, &info, sizeof info);
    if (info.extension) out.insert(info.extension);
  }
  return out;
}

}  // namespace

TEST(AudioExtensions, CoverWhatLibsndfileReads) {
  std::set<std::string> reported = libsndfile_extensions(SFC_GET_FORMAT_MAJOR_COUNT, SFC_GET_FORMAT_MAJOR);
  const auto simple = libsndfile_extensions(SFC_GET_SIMPLE_FORMAT_COUNT, SFC_GET_SIMPLE_FORMAT);
  reported.insert(simple.begin(), simple.end());
  ASSERT_TRUE(reported.count("wav") && reported.count("flac"));
  const std::set<std::string> left_out = {"raw", "vox", "mat", "mpc"};  // see audio.hpp
  const auto& listed = cqtcnn::audio_extensions();
  for (const std::string& ext : reported) {
    if (left_out.count(ext)) continue;
    EXPECT_NE(std::find(listed.begin(), listed.end(), ext), listed.end()) << ext << " is missing";
  }
}

TEST(AudioExtensions, DecideByExtensionInAnyCase) {
  for (const char* name : {"a.wav", "b.WAV", "dir/c.Flac", "d.ogg", "e.opus", "f.mp3", "g.aif", "h.aiff", "i.au"})
    EXPECT_TRUE(cqtcnn::has_audio_extension(name)) << name;
  for (const char* name : {"README.txt", ".DS_Store", "notes", "x.wav.txt", "model.json", "data.mat", "take.raw", ".wav"})
    EXPECT_FALSE(cqtcnn::has_audio_extension(name)) << name;
}
