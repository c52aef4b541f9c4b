// Classifies recordings through the installed cqtcnn library, with a model file or the built-in
// digits model:   classify [--model MODEL.json] AUDIO...
// Built against the installed package by examples/CMakeLists.txt (find_package), or with
//   c++ -std=c++20 classify.cpp $(pkg-config --cflags --libs cqtcnn)
#include <cqtcnn/cqtcnn.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string model_file;
  if (args.size() >= 2 && args[0] == "--model") {
    model_file = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.empty()) {
    std::fprintf(stderr, "usage: classify [--model MODEL.json] AUDIO...\n");
    return 2;
  }
  try {
    const cqtcnn::Classifier classifier(model_file.empty() ? cqtcnn::Model::builtin() : cqtcnn::Model::load(model_file));
    for (const std::string& file : args) {
      const cqtcnn::FileResult result = classifier.classify(file);
      const std::size_t best = result.top(1).at(0);
      std::printf("%s\t%s\t%.4f\n", file.c_str(), result.silent() ? "(silent)" : classifier.labels()[best].c_str(),
                  result.probabilities[best]);
    }
  } catch (const cqtcnn::Error& e) {  // a bad file or model: one line naming it
    std::fprintf(stderr, "classify: %s\n", e.what());
    return 1;
  }
}
