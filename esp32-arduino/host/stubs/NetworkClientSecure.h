#pragma once
// arduino-esp32 3.x libraries/NetworkClientSecure, as far as the sketch uses it.
#include "WiFi.h"
class NetworkClientSecure : public NetworkClient {
 public:
  NetworkClientSecure();
  ~NetworkClientSecure();
  int connect(const char* host, uint16_t port);
  int connect(const char* host, uint16_t port, int32_t timeout);
  // write, available, read, stop, connected: NetworkClient's names, overridden with TLS ones in the real header
  int lastError(char* buf, const size_t size);
  void setInsecure();
  void setHandshakeTimeout(unsigned long handshake_timeout);
  bool getFingerprintSHA256(uint8_t sha256_result[32]);
  int fd() const override;
};
