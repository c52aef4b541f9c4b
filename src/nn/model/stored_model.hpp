// The built-in model's stored form (written at build time by cmake/embed_model.cpp): the model
// document as CBOR (RFC 8949) in which each tensor's "data_b64" text is replaced by the byte
// offset of its little-endian float32 values in a separate block of tensor bytes. Reading it
// scans no text and decodes no base64: the skeleton is small, and each tensor is copied once, from
// the block into its layer.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cqtcnn::nn {

struct StoredModel {
  std::vector<std::uint8_t> skeleton;  // CBOR
  std::vector<std::uint8_t> tensors;   // each tensor's bytes, starting at a multiple of 64
};

// A parsed model document -> its stored form. Tensors stored as base64 move to `tensors`
// (their text must be valid: decode them with Model::from_json first); the rest is unchanged.
StoredModel store_model(nlohmann::json document, const std::string& name);

// The stored form -> the document, each moved tensor's "data_b64" still a byte offset: pass the
// tensor bytes to model_from_json (model_json.hpp), which reads each tensor from them in place and
// refuses an offset or size that does not fit. Throws InvalidInput naming `name` if the skeleton
// is not CBOR.
nlohmann::json load_stored_model(std::span<const std::uint8_t> skeleton, const std::string& name);

}  // namespace cqtcnn::nn
