// Shared libraries opened on first use (dlopen by their soname) instead of linked. Each linked
// library costs every process its mapping and relocations at start-up, whether the command uses
// it or not: `cqtcnn --version` and `inspect` decode no audio, and the built-in model designs no
// CQT filters. FFTW (src/cqt/kernel.cpp), libsndfile (src/audio/sndfile_source.cpp) and libsoxr
// (src/audio/resample.cpp) are opened this way; their sonames come from CMake.
//
// Usage, one table per library, filled once (a function-local static: thread-safe, and retried
// if opening failed):
//   const Api& api() {
//     static const Api table = [] {
//       const SharedLibrary lib(CQTCNN_SOXR_SONAME, "resampling");
//       return Api{CQTCNN_LIBRARY_FUNCTION(lib, soxr_create), ...};
//     }();
//     return table;
//   }
#pragma once

#include <string>

namespace cqtcnn {

class SharedLibrary {
 public:
  // Opens `soname` (or finds it already open); the library stays loaded for the process's life.
  // Throws Error "<purpose> needs <soname>, which did not load (<the loader's message>)".
  SharedLibrary(const char* soname, const char* purpose);

  // The address of `name`; throws Error naming the library and the symbol if it has none.
  void* symbol(const char* name) const;
  template <typename F>
  F function(const char* name) const {
    return reinterpret_cast<F>(symbol(name));
  }

 private:
  void* handle_;
  std::string soname_;
};

}  // namespace cqtcnn

// The function `name` of the SharedLibrary `lib`, with the type its header declares: the name is
// written once, so the symbol looked up and the type it is called with cannot disagree.
#define CQTCNN_LIBRARY_FUNCTION(lib, name) (lib).function<decltype(&name)>(#name)
