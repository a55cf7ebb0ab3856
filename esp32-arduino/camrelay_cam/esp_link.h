// The relay connection on the ESP32. Plain TCP: WiFiClient opens it (DNS + connect with a timeout); its socket is
// then driven directly with non-blocking lwIP send/recv/select, so every write has a deadline the caller controls
// (WiFiClient::write() retries internally for up to ~10 s per call).
// TLS (a certificate fingerprint is configured): WiFiClientSecure with the chain unchecked and the peer certificate's
// SHA-256 compared with the pinned one before anything (HELLO carries the token) is sent. Writes wait for room with
// select() on the socket and then hand mbedTLS at most one record's worth, so a stalled link is still noticed
// within the frame deadline plus one record.
#pragma once

#include <NetworkClientSecure.h>
#include <WiFi.h>

#include "src/camrelay/ports.h"

class EspLink : public camrelay::Link {
 public:
  // From the next connect on: TLS with this certificate fingerprint (32 bytes), or plain TCP with nullptr.
  void usePinnedTls(const uint8_t* sha256);
  bool networkReady() override;
  bool connect(const char* host, uint16_t port, uint32_t timeoutMs) override;
  int write(const uint8_t* data, size_t len, uint32_t waitMs) override;
  int read(uint8_t* buf, size_t cap) override;
  void close() override;
  void closeGracefully(uint32_t lingerMs) override;
  const char* lastError() override { return error_; }

 private:
  void setError(const char* what, int err);
  bool connectTls(const char* host, uint16_t port, uint32_t timeoutMs);
  bool waitWritable(int fd, uint32_t waitMs, int* ready);
  void tuneSocket(int fd);
  WiFiClient client_;
  NetworkClientSecure secure_;
  bool tls_ = false;
  uint8_t pin_[32] = {0};
  char error_[96] = {0};
};
