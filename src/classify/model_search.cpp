#include "classify/model_search.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>

namespace cqtcnn {

namespace fs = std::filesystem;

std::vector<fs::path> model_folders() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("CQTCNN_MODEL_PATH"))
    for (std::string rest = env; !rest.empty();) {
      const std::size_t colon = std::min(rest.find(':'), rest.size());
      if (colon > 0) candidates.emplace_back(rest.substr(0, colon));
      rest.erase(0, std::min(colon + 1, rest.size()));
    }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path() / ".." / "share" / "cqtcnn" / "models");
  candidates.push_back(fs::path(CQTCNN_INSTALL_PREFIX) / "share" / "cqtcnn" / "models");
  std::vector<fs::path> folders;
  std::set<fs::path> seen;
  for (const fs::path& c : candidates) {
    const fs::path folder = fs::weakly_canonical(c, ec);
    if (!ec && fs::is_directory(folder, ec) && seen.insert(folder).second) folders.push_back(folder);
  }
  return folders;
}

namespace {

bool is_model_file(const fs::path& p) {
  const std::string name = p.filename().string();
  return p.extension() == ".json" && !name.ends_with(".frontend.json");
}

std::string model_list(const std::vector<fs::path>& models) {
  std::string names;
  for (const fs::path& m : models) names += (names.empty() ? "" : ", ") + m.stem().string();
  return names.empty() ? "none" : names;
}

}  // namespace

std::vector<fs::path> installed_models() {
  std::vector<fs::path> models;
  std::set<std::string> names;
  for (const fs::path& folder : model_folders()) {
    std::vector<fs::path> here;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder, ec))
      if (e.is_regular_file(ec) && is_model_file(e.path())) here.push_back(e.path());
    std::sort(here.begin(), here.end());
    for (const fs::path& m : here)
      if (names.insert(m.stem().string()).second) models.push_back(m);
  }
  return models;
}

fs::path find_model(const std::string& name) {
  std::error_code ec;
  const fs::path given(name);
  if (fs::exists(given, ec) || name.find('/') != std::string::npos || name == "." || name == "..") return given;
  const std::vector<fs::path> folders = model_folders();
  const std::string file = given.extension() == ".json" ? name : name + ".json";
  for (const fs::path& folder : folders)
    if (fs::is_regular_file(folder / file, ec)) return folder / file;
  std::string searched;
  for (const fs::path& f : folders) searched += (searched.empty() ? "" : ", ") + f.string();
  throw InvalidInput(name + ": no such model file, nor a model of that name in the model folders (" +
                     (searched.empty() ? "none exists; set CQTCNN_MODEL_PATH" : searched) +
                     "; models there: " + model_list(installed_models()) + ")");
}

}  // namespace cqtcnn
