// copy_floats: std::copy for float buffers that may be large, without glibc's slow case on AMD.
//
// glibc before 2.39 (Debian 12 has 2.36) copies blocks above a few KB with `rep movsb`, which AMD's
// Zen 3 and Zen 4 run many times slower when the destination lies 16 bytes past the source modulo
// 4096 (glibc bug 30994). Two heap blocks are often placed that way: one layer's benchmark ran 16 or
// 44 us depending on which layer had run before it, 28 of the 44 in copying its 72 KB output. On
// this machine a 72 KB memcpy took 27.5 us at that offset against 1.5 us at others; copied in
// pieces of 2 KB, which glibc moves with vector registers instead, 4.9 us, and the same 1.5 us at
// the other offsets.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace cqtcnn {

inline void copy_floats(const float* src, std::size_t count, float* dst) {
  constexpr std::size_t kPiece = 512;  // floats: 2 KB, below glibc's rep movsb threshold
  for (std::size_t i = 0; i < count; i += kPiece)
    std::memcpy(dst + i, src + i, std::min(kPiece, count - i) * sizeof(float));
}

}  // namespace cqtcnn
