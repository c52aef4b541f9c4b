// Linked into every program of a CQTCNN_SANITIZE build (CMakeLists.txt): LeakSanitizer's
// suppressions, built in so that no environment variable is needed. fontconfig, which cairo uses
// to find the figures' font, keeps its configuration and caches for the life of the process and
// frees them only in FcFini, which cairo never calls: memory reachable until exit, which LSan
// reports as leaked. Nothing of cqtcnn's own is suppressed.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
// And no list of the suppressions used at exit: the command-line tests read stderr.
extern "C" const char* __lsan_default_options();
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
