// mDNS on the board (ESPmDNS): the camera answers as <camera id>.local and advertises _camrelay-cam._tcp (TXT id,
// fw; port 0: it serves nothing, the service only says "a camrelay camera is here"), and browses _camrelay._tcp
// for the relay when no host is configured.
#pragma once

#include "src/camrelay/mdns.h"

class EspMdnsBrowser : public camrelay::MdnsBrowser {
 public:
  // Starts the responder. False when mDNS could not start (the camera then only works with a configured host).
  bool begin(const char* cameraId, const char* firmware, camrelay::Log& log);
  size_t browse(camrelay::MdnsService* out, size_t max, uint32_t timeoutMs) override;

 private:
  bool started_ = false;
};
