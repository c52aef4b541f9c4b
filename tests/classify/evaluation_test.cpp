// Evaluation (what `cqtcnn evaluate` reports): the metrics against a confusion matrix worked by
// hand, the report's text, the labelled-CSV reader, and evaluate() on the bundled recordings.
#include "audio/audio_test_util.hpp"
#include "cqtcnn/error.hpp"
#include "classify/evaluation.hpp"

#include <gtest/gtest.h>

namespace cqtcnn {
namespace {
namespace fs = std::filesystem;

// rows: true class, columns: predicted
//        a  b  c
//   a    5  1  0     support 6
//   b    2  3  1     support 6
//   c    0  0  4     support 4
ConfusionMatrix worked_example() {
  const int counts[3][3] = {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}};
  ConfusionMatrix m(3);
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t p = 0; p < 3; ++p)
      for (int i = 0; i < counts[t][p]; ++i) m.add(t, p);
  return m;
}

TEST(ConfusionMatrix, MetricsOfAWorkedExample) {
  const ConfusionMatrix m = worked_example();
  EXPECT_EQ(m.total(), 16);
  EXPECT_EQ(m.correct(), 12);
  EXPECT_DOUBLE_EQ(m.accuracy(), 0.75);
  // a: predicted 7 times, 5 right; 6 files of a.
  EXPECT_DOUBLE_EQ(m.scores(0).precision, 5.0 / 7);
  EXPECT_DOUBLE_EQ(m.scores(0).recall, 5.0 / 6);
  EXPECT_DOUBLE_EQ(m.scores(0).f1, 10.0 / 13);  // 2 * (5/7) * (5/6) / (5/7 + 5/6)
  EXPECT_EQ(m.scores(0).support, 6);
  // b: predicted 4 times, 3 right; 6 files.
  EXPECT_DOUBLE_EQ(m.scores(1).precision, 0.75);
  EXPECT_DOUBLE_EQ(m.scores(1).recall, 0.5);
  EXPECT_DOUBLE_EQ(m.scores(1).f1, 0.6);
  // c: predicted 5 times, 4 right; 4 files.
  EXPECT_DOUBLE_EQ(m.scores(2).precision, 0.8);
  EXPECT_DOUBLE_EQ(m.scores(2).recall, 1.0);
  EXPECT_DOUBLE_EQ(m.scores(2).f1, 8.0 / 9);
}

TEST(ConfusionMatrix, ClassesNeverPredictedOrAbsentScoreZero) {
  ConfusionMatrix m(3);
  EXPECT_DOUBLE_EQ(m.accuracy(), 0.0);
  m.add(0, 1);
  EXPECT_DOUBLE_EQ(m.scores(0).precision, 0.0);  // never predicted
  EXPECT_DOUBLE_EQ(m.scores(0).recall, 0.0);
  EXPECT_DOUBLE_EQ(m.scores(0).f1, 0.0);
  EXPECT_DOUBLE_EQ(m.scores(2).recall, 0.0);  // no files
  EXPECT_EQ(m.scores(2).support, 0);
  EXPECT_THROW(m.add(3, 0), std::out_of_range);
}

TEST(Evaluation, Report) {
  const Evaluation e{worked_example(), 17, 1};
  EXPECT_EQ(e.report({"a", "bb", "c"}, "m.json"),
            "model: m.json\n"
            "files: 17 (1 failed)\n"
            "accuracy: 75.00% (12/16)\n"
            "\n"
            "class precision    recall        f1 support\n"
            "a        0.7143    0.8333    0.7692       6\n"
            "bb       0.7500    0.5000    0.6000       6\n"
            "c        0.8000    1.0000    0.8889       4\n"
            "\n"
            "confusion matrix (rows: true class, columns: predicted, in the order above)\n"
            "a        5    1    0\n"
            "bb       2    3    1\n"
            "c        0    0    4\n");
}

TEST(LabelledCsv, HeaderQuotingAndRelativePaths) {
  const fs::path dir = testing::temp_dir() / "csv";
  fs::create_directories(dir);
  testing::write_bytes(dir / "here.wav", "");
  testing::write_bytes(dir / "list.csv",
                       "path,label\r\n"
                       "here.wav,x\r\n"
                       "\"a, \"\"b\"\".wav\",y,extra\n"
                       "\n" +
                           (dir / "abs.wav").string() + ",z\n");
  const auto rows = read_labelled_csv(dir / "list.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].path, dir / "here.wav");  // relative to the CSV's folder
  EXPECT_EQ(rows[0].label, "x");
  EXPECT_EQ(rows[1].path, dir / "a, \"b\".wav");
  EXPECT_EQ(rows[1].label, "y");
  EXPECT_EQ(rows[2].path, dir / "abs.wav");
  EXPECT_EQ(rows[2].label, "z");

  // The header names the columns, in any order, among others.
  testing::write_bytes(dir / "named.csv", "class,split,path\nx,train,here.wav\n");
  const auto named = read_labelled_csv(dir / "named.csv");
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].path, dir / "here.wav");
  EXPECT_EQ(named[0].label, "x");

  testing::write_bytes(dir / "bad.csv", "a.wav,x\nb.wav\n");
  try {
    read_labelled_csv(dir / "bad.csv");
    FAIL() << "accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "bad.csv").string() + ": line 2: expected path,label");
  }
  EXPECT_THROW(read_labelled_csv(dir / "missing.csv"), Error);

  // A header that names its columns but not the one holding the files (or the labels) says so,
  // rather than being read as a row of data.
  for (const auto& [header, missing] : {std::pair{"file,label", "\"path\""}, {"filename,class", "\"path\""},
                                        {"path,category", "\"label\" or \"class\""}}) {
    testing::write_bytes(dir / "header.csv", std::string(header) + "\nhere.wav,x\n");
    try {
      read_labelled_csv(dir / "header.csv");
      ADD_FAILURE() << "accepted " << header;
    } catch (const InvalidInput& e) {
      EXPECT_EQ(std::string(e.what()).rfind((dir / "header.csv").string() + ": line 1 names the columns (" + header +
                                            ") but none is " + missing, 0), 0u) << e.what();
    }
  }
}

// The bundled recordings with the shipped digits model (classify.sh checks that it gets all five
// right), one of them labelled wrongly and one file that is not audio.
TEST(Evaluate, CountsEachOutcomeInTheMatrix) {
  const Classifier classifier(Model::load(fs::path(CQTCNN_SOURCE_DIR) / "models/digits.json"));
  const fs::path data = fs::path(CQTCNN_SOURCE_DIR) / "data";
  const fs::path junk = testing::temp_dir() / "junk.wav";
  testing::write_bytes(junk, "not audio");
  std::vector<LabelledFile> files;
  for (const char* name : {"1_george_4.wav", "3_jackson_0.wav", "5_nicolas_1.wav", "7_theo_2.wav", "9_yweweler_0.wav"})
    files.push_back({data / name, std::string(1, name[0])});
  files.push_back({data / "3_jackson_0.wav", "8"});
  files.push_back({junk, "1"});
  std::vector<std::string> errors;
  const Evaluation e = evaluate(classifier, files, "list.csv", 3, [&](const std::string& m) { errors.push_back(m); });
  EXPECT_EQ(e.files, 7);
  EXPECT_EQ(e.failed, 1);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind(junk.string() + ": ", 0), 0u) << errors[0];
  EXPECT_EQ(e.confusion.total(), 6);
  EXPECT_EQ(e.confusion.correct(), 5);
  for (const int digit : {1, 3, 5, 7, 9}) EXPECT_EQ(e.confusion.count(std::size_t(digit), std::size_t(digit)), 1);
  EXPECT_EQ(e.confusion.count(8, 3), 1);
  EXPECT_DOUBLE_EQ(e.confusion.scores(3).precision, 0.5);
  EXPECT_DOUBLE_EQ(e.confusion.scores(8).recall, 0.0);
  EXPECT_EQ(e.confusion.scores(8).support, 1);
}

TEST(Evaluate, RefusesALabelTheModelDoesNotHave) {
  const Classifier classifier(Model::load(fs::path(CQTCNN_SOURCE_DIR) / "models/digits.json"));
  try {
    evaluate(classifier, {{"x.wav", "ten"}}, "list.csv");
    FAIL() << "accepted";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(), "list.csv: label \"ten\" (for x.wav) is not one of the model's labels (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, _none_)");
  }
}

}  // namespace
}  // namespace cqtcnn
