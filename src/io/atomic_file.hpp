// Atomic output: every file cqtcnn writes goes through here. The bytes go to a temporary file
// beside the target, which is flushed, closed and then renamed over the target, so a reader
// (or an interrupted run) never sees a half-written file.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <span>
#include <string_view>

namespace cqtcnn {

// Calls `write(file)` on a temporary FILE* beside `path`, then renames it to `path`. If
// `write` throws or any I/O fails, the temporary file is removed and the target is untouched.
// Errors are cqtcnn::Error "<path>: <problem>".
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::FILE*)>& write);

// Writes `bytes` to `file`, throwing cqtcnn::Error naming `path` if the write fails.
void write_bytes(std::FILE* file, const void* bytes, std::size_t size,
                 const std::filesystem::path& path);

}  // namespace cqtcnn
