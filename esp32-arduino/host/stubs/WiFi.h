#pragma once
// arduino-esp32 3.x WiFi + Network libraries, as far as the sketch uses them (see README.md).
#include "Arduino.h"

typedef enum {
  WL_NO_SHIELD = 255,
  WL_STOPPED = 254,
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_SCAN_COMPLETED = 2,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_DISCONNECTED = 6
} wl_status_t;

typedef enum { WIFI_MODE_NULL = 0, WIFI_MODE_STA, WIFI_MODE_AP, WIFI_MODE_APSTA, WIFI_MODE_MAX } wifi_mode_t;
#define WIFI_OFF WIFI_MODE_NULL
#define WIFI_STA WIFI_MODE_STA
#define WIFI_AP WIFI_MODE_AP
#define WIFI_AP_STA WIFI_MODE_APSTA

class NetworkClient {
 public:
  NetworkClient();
  ~NetworkClient();
  int connect(const char* host, uint16_t port);
  int connect(const char* host, uint16_t port, int32_t timeout_ms);
  size_t write(const uint8_t* buf, size_t size);
  int available();
  int read(uint8_t* buf, size_t size);
  void stop();
  uint8_t connected();
  virtual int fd() const;
  int setNoDelay(bool nodelay);
  void setConnectionTimeout(uint32_t milliseconds);
};
typedef NetworkClient WiFiClient;

class NetworkUDP {
 public:
  NetworkUDP();
};
typedef NetworkUDP WiFiUDP;

class WiFiClass {
 public:
  // WiFiGenericClass
  void persistent(bool persistent);
  static bool mode(wifi_mode_t);
  bool setSleep(bool enabled);
  static bool setHostname(const char* hostname);
  int32_t channel(void);
  // WiFiSTAClass
  wl_status_t begin(const char* ssid, const char* passphrase = NULL, int32_t channel = 0, const uint8_t* bssid = NULL,
                    bool connect = true);
  bool reconnect();
  bool disconnect(bool wifioff = false, bool eraseap = false);
  bool setAutoReconnect(bool autoReconnect);
  static wl_status_t status();
  IPAddress localIP();
  int8_t RSSI();
  String SSID() const;
  // WiFiAPClass
  bool softAP(const char* ssid, const char* passphrase = NULL, int channel = 1, int ssid_hidden = 0,
              int max_connection = 4, bool ftm_responder = false);
  bool softAPConfig(IPAddress local_ip, IPAddress gateway, IPAddress subnet, IPAddress dhcp_lease_start = (uint32_t)0);
  IPAddress softAPIP();
  uint8_t softAPgetStationNum();
  // WiFiScanClass
  int16_t scanNetworks(bool async = false, bool show_hidden = false, bool passive = false,
                       uint32_t max_ms_per_chan = 300, uint8_t channel = 0, const char* ssid = nullptr,
                       const uint8_t* bssid = nullptr);
  String SSID(uint8_t networkItem);
  void scanDelete();
};
extern WiFiClass WiFi;
