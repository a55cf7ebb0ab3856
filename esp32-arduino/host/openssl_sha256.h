// SHA-256 for the host build (tests and the host camera) from OpenSSL's libcrypto; the board uses mbedTLS.
#pragma once

#include <openssl/evp.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "camrelay/ota.h"

class OpenSslSha256 : public camrelay::Sha256 {
 public:
  OpenSslSha256() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::runtime_error("EVP_MD_CTX_new failed");
  }
  ~OpenSslSha256() { EVP_MD_CTX_free(ctx_); }
  OpenSslSha256(const OpenSslSha256&) = delete;
  OpenSslSha256& operator=(const OpenSslSha256&) = delete;
  void begin() override { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  void update(const uint8_t* data, size_t len) override { EVP_DigestUpdate(ctx_, data, len); }
  void finish(uint8_t out[32]) override {
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, out, &n);
  }

 private:
  EVP_MD_CTX* ctx_;
};

// SHA-256 as 64 lowercase hex digits (what an update offer carries).
inline std::string sha256Hex(const std::vector<uint8_t>& data) {
  OpenSslSha256 sha;
  sha.begin();
  sha.update(data.data(), data.size());
  uint8_t d[32];
  sha.finish(d);
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}
