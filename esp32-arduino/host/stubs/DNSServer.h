#pragma once
// arduino-esp32 3.x libraries/DNSServer, as far as the sketch uses it.
#include "WiFi.h"
enum class DNSReplyCode { NoError = 0, FormError = 1, ServerFailure = 2, NonExistentDomain = 3, NotImplemented = 4,
                          Refused = 5, YXDomain = 6, YXRRSet = 7, NXRRSet = 8 };
class DNSServer {
 public:
  DNSServer();
  ~DNSServer();
  void processNextRequest();
  void setErrorReplyCode(const DNSReplyCode& replyCode);
  void setTTL(const uint32_t& ttl);
  bool start(const uint16_t& port, const String& domainName, const IPAddress& resolvedIP);
  void stop();
};
