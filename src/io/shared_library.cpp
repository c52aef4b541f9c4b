#include "io/shared_library.hpp"

#include "cqtcnn/error.hpp"

#include <dlfcn.h>

namespace cqtcnn {

SharedLibrary::SharedLibrary(const char* soname, const char* purpose)
    : handle_(dlopen(soname, RTLD_LAZY | RTLD_LOCAL)), soname_(soname) {
  if (!handle_) throw Error(std::string(purpose) + " needs " + soname_ + ", which did not load (" + dlerror() + ")");
}

void* SharedLibrary::symbol(const char* name) const {
  void* address = dlsym(handle_, name);
  if (!address) throw Error(soname_ + " has no " + name + ": not the library this program was built for");
  return address;
}

}  // namespace cqtcnn
