// The board's side of updates: HTTPClient for the download (WiFiClient, or WiFiClientSecure with the relay's
// certificate pinned for https URLs), arduino-esp32's Update for the inactive app partition, mbedTLS for SHA-256,
// and esp_ota_* for the bootloader's rollback state.
//
// Needs a partition scheme with two app slots (e.g. "Minimal SPIFFS (1.9MB APP with OTA)"): README, "Updates".
#pragma once

#include <HTTPClient.h>
#include <NetworkClientSecure.h>
#include <WiFi.h>

#include "mbedtls/sha256.h"
#include "src/camrelay/ota.h"

class EspHttpDownload : public camrelay::HttpDownload {
 public:
  // pin: the relay certificate's SHA-256 (32 bytes), checked for https URLs; nullptr when none is configured
  // (https URLs are then refused).
  void setPin(const uint8_t* pin);
  bool open(const char* url, int64_t* contentLength) override;
  int read(uint8_t* buf, size_t cap, uint32_t waitMs) override;
  void close() override;
  const char* lastError() override { return error_; }

 private:
  HTTPClient http_;
  WiFiClient plain_;
  NetworkClientSecure secure_;
  NetworkClient* stream_ = nullptr;
  uint8_t pin_[32] = {0};
  bool pinned_ = false;
  int64_t remaining_ = -1;
  char error_[96] = {0};
};

class EspFirmwareSlot : public camrelay::FirmwareSlot {
 public:
  size_t capacity() override;
  bool begin(size_t size) override;
  bool write(const uint8_t* data, size_t len) override;
  bool finish() override;
  void abort() override;
  const char* lastError() override;
};

class EspSha256 : public camrelay::Sha256 {
 public:
  EspSha256() { mbedtls_sha256_init(&ctx_); }
  void begin() override;
  void update(const uint8_t* data, size_t len) override;
  void finish(uint8_t out[32]) override;

 private:
  mbedtls_sha256_context ctx_;
};

class EspBootImage : public camrelay::BootImage {
 public:
  bool pendingVerify() override;
  bool markValid() override;
  void rollBack() override;
};
