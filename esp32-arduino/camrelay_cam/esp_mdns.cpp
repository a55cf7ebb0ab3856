#include "esp_mdns.h"

#include <ESPmDNS.h>
#include <stdio.h>

bool EspMdnsBrowser::begin(const char* cameraId, const char* firmware, camrelay::Log& log) {
  started_ = MDNS.begin(cameraId);
  if (!started_) {
    log.line("mdns: could not start the responder");
    return false;
  }
  MDNS.addService("camrelay-cam", "tcp", 0);
  MDNS.addServiceTxt("camrelay-cam", "tcp", "id", cameraId);
  MDNS.addServiceTxt("camrelay-cam", "tcp", "fw", firmware);
  log.line("mdns: this camera answers as %s.local", cameraId);
  return true;
}

size_t EspMdnsBrowser::browse(camrelay::MdnsService* out, size_t max, uint32_t timeoutMs) {
  if (!started_) return 0;
  const int found = MDNS.queryService("camrelay", "tcp", timeoutMs);
  size_t n = 0;
  for (int i = 0; i < found && n < max; i++) {
    camrelay::MdnsService& s = out[n];
    s = camrelay::MdnsService{};
    snprintf(s.instance, sizeof s.instance, "%s", MDNS.hostname(i).c_str());
    snprintf(s.address, sizeof s.address, "%s", MDNS.address(i).toString().c_str());
    s.port = MDNS.port(i);
    if (MDNS.hasTxt(i, "port")) snprintf(s.txtPort, sizeof s.txtPort, "%s", MDNS.txt(i, "port").c_str());
    if (MDNS.hasTxt(i, "tls")) snprintf(s.txtTls, sizeof s.txtTls, "%s", MDNS.txt(i, "tls").c_str());
    n++;
  }
  return n;
}
