#pragma once
// arduino-esp32 3.x libraries/ESPmDNS, as far as the sketch uses it.
#include "Arduino.h"
class MDNSResponder {
 public:
  MDNSResponder();
  ~MDNSResponder();
  bool begin(const String& hostName);
  bool begin(const char* hostName);
  void end();
  void setInstanceName(const char* name);
  bool addService(const char* service, const char* proto, uint16_t port);
  bool addServiceTxt(const char* name, const char* proto, const char* key, const char* value);
  int queryService(const char* service, const char* proto, const uint32_t timeout = 3000);
  String hostname(int idx);
  IPAddress address(int idx);
  uint16_t port(int idx);
  int numTxt(int idx);
  bool hasTxt(int idx, const char* key);
  String txt(int idx, const char* key);
};
extern MDNSResponder MDNS;
