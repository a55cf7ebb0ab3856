#pragma once
// arduino-esp32 3.x libraries/HTTPClient, as far as the sketch uses it.
#include "WiFi.h"
#define HTTP_CODE_OK 200
typedef enum { HTTPC_DISABLE_FOLLOW_REDIRECTS, HTTPC_STRICT_FOLLOW_REDIRECTS, HTTPC_FORCE_FOLLOW_REDIRECTS } followRedirects_t;
class HTTPClient {
 public:
  HTTPClient();
  ~HTTPClient();
  bool begin(NetworkClient& client, String url);
  void end(void);
  bool connected(void);
  void setReuse(bool reuse);
  void setUserAgent(const String& userAgent);
  void setConnectTimeout(int32_t connectTimeout);
  void setTimeout(uint16_t timeout);
  void setFollowRedirects(followRedirects_t follow);
  void addHeader(const String& name, const String& value, bool first = false, bool replace = true);
  int GET();
  int getSize(void);
  NetworkClient* getStreamPtr(void);
  static String errorToString(int error);
};
