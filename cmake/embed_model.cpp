// Build step: the built-in model's stored form (src/nn/model/stored_model.hpp). Reads a model file
// (JSON), loads it as cqtcnn would (so a model that does not load, or fails its own test vectors,
// fails the build), and writes a C++ source defining
//   extern const unsigned char SYMBOL[], SYMBOL_tensors[];
//   extern const std::size_t SYMBOL_size, SYMBOL_tensors_size;
// the document's CBOR skeleton and its tensors' bytes. At run time nn::load_stored_model and
// model_from_json read them: no text to scan, no base64 to decode. A missing input gives sizes
// 0 (a build without a built-in model).
//   embed_model models/digits.json build/default_model.cpp cqtcnn_default_model
#include "cqtcnn/error.hpp"
#include "cqtcnn/frontend.hpp"
#include "cqtcnn/model.hpp"
#include "cqt/precomputed.hpp"
#include "io/json_file.hpp"
#include "nn/model/stored_model.hpp"
#include "frontend/frontend_json.hpp"
#include "nn/model/model_json.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

// `bytes` as `const unsigned char symbol[]` (64-byte aligned) and `symbol_size`.
void write_array(std::ostream& out, const std::string& symbol, const std::vector<std::uint8_t>& bytes) {
  out << "extern const unsigned char " << symbol << "[];\nextern const std::size_t " << symbol << "_size;\n"
      << "alignas(64) const unsigned char " << symbol << "[" << bytes.size() + 1 << "] =";
  static const char* hex = "0123456789abcdef";
  std::string line;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i % 64 == 0) line = "\n\"";
    line += "\\x";
    line += hex[bytes[i] >> 4];
    line += hex[bytes[i] & 15];
    if (i % 64 == 63 || i + 1 == bytes.size()) out << line << '"';
  }
  if (bytes.empty()) out << " \"\"";
  out << ";\nconst std::size_t " << symbol << "_size = " << bytes.size() << ";\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: embed_model MODEL.json OUTPUT.cpp SYMBOL\n";
    return 2;
  }
  const std::string input = argv[1], output = argv[2], symbol = argv[3];
  try {
    cqtcnn::nn::StoredModel stored;
    std::vector<std::uint8_t> filters;
    if (std::filesystem::exists(input)) {
      const json document = cqtcnn::io::read_json_file(input);
      const cqtcnn::Model model = cqtcnn::model_from_json(document, input);
      for (const auto& r : model.verify())
        if (!r.passed)
          throw cqtcnn::InvalidInput(input + ": test vector " + std::to_string(r.index) + " fails (error " +
                                     std::to_string(r.max_abs_error) + ")");
      stored = cqtcnn::nn::store_model(document, input);
      // The stored form must give the same model: the same outputs on the test vectors.
      const cqtcnn::Model again = cqtcnn::model_from_json(
          cqtcnn::nn::load_stored_model(stored.skeleton, input + " (stored)"), input, stored.tensors);
      for (std::size_t i = 0; i < model.test_vectors().size(); ++i) {
        const auto& tv = model.test_vectors()[i];
        if (again.run(tv.input).data != model.run(tv.input).data)
          throw cqtcnn::InvalidInput(input + ": the stored form computes other numbers on test vector " +
                                     std::to_string(i));
      }
      // from_json sets cqt.sr to the front end's sample rate, as the Frontend's Cqt sees it.
      filters = cqtcnn::cqt::pack_filter_banks(cqtcnn::frontend_from_json(model_frontend_json(model), input).cqt);
    }
    std::ofstream out(output, std::ios::binary);
    out << "// Generated from " << input << " by cmake/embed_model.cpp. Do not edit.\n#include <cstddef>\n";
    write_array(out, symbol, stored.skeleton);
    write_array(out, symbol + "_tensors", stored.tensors);
    write_array(out, symbol + "_filters", filters);
    if (!out.flush()) throw std::runtime_error(output + ": cannot write");
  } catch (const std::exception& e) {
    std::cerr << "embed_model: " << e.what() << "\n";
    std::error_code ignored;
    std::filesystem::remove(output, ignored);
    return 1;
  }
  return 0;
}
