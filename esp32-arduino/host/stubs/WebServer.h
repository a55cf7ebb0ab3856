#pragma once
// arduino-esp32 3.x libraries/WebServer, as far as the sketch uses it.
#include <functional>
#include "WiFi.h"
enum http_method { HTTP_DELETE = 0, HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 3, HTTP_PUT = 4, HTTP_OPTIONS = 6 };
typedef enum http_method HTTPMethod;
#define HTTP_ANY (HTTPMethod)(255)
class Uri {
 public:
  Uri(const char* uri);
  Uri(const String& uri);
  virtual ~Uri();
};
class WebServer {
 public:
  typedef std::function<void(void)> THandlerFunction;
  WebServer(int port = 80);
  virtual ~WebServer();
  virtual void begin();
  virtual void handleClient();
  virtual void close();
  void stop();
  void on(const Uri& uri, THandlerFunction fn);
  void on(const Uri& uri, HTTPMethod method, THandlerFunction fn);
  void onNotFound(THandlerFunction fn);
  String uri();
  HTTPMethod method();
  String arg(String name);
  String arg(int i);
  bool hasArg(const String& name);
  int args();
  void sendHeader(const String& name, const String& value, bool first = false);
  void setContentLength(const size_t contentLength);
  void send(int code, const char* content_type = NULL, const String& content = String(""));
  void send(int code, const char* content_type, const char* content);
  void send(int code, const String& content_type, const String& content);
};
