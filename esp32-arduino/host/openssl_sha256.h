// SHA-256 for the host build (tests and the host camera) from OpenSSL's libcrypto; the board uses mbedTLS.
#pragma once

#include <openssl/evp.h>

#include <stdexcept>

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
