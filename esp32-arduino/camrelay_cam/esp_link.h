// The relay connection on the ESP32: WiFiClient opens it (DNS + connect with a timeout); the client's socket is then
// driven directly with non-blocking lwIP send/recv/select, so every write has a deadline the caller controls
// (WiFiClient::write() retries internally for up to ~10 s per call).
#pragma once

#include <WiFi.h>

#include "src/camrelay/ports.h"

class EspLink : public camrelay::Link {
 public:
  bool networkReady() override;
  bool connect(const char* host, uint16_t port, uint32_t timeoutMs) override;
  int write(const uint8_t* data, size_t len, uint32_t waitMs) override;
  int read(uint8_t* buf, size_t cap) override;
  void close() override;
  void closeGracefully(uint32_t lingerMs) override;
  const char* lastError() override { return error_; }

 private:
  void setError(const char* what, int err);
  WiFiClient client_;
  char error_[64] = {0};
};
