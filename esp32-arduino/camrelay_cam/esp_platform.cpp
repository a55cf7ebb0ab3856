#include "esp_platform.h"

#include <WiFi.h>
#include <stdarg.h>
#include <stdio.h>

#include "board_pins.h"
#include "camrelay_config.h"
#include "esp_random.h"
#include "esp_system.h"
#include "esp_timer.h"

uint64_t EspClock::nowMicros() { return static_cast<uint64_t>(esp_timer_get_time()); }

uint32_t EspRandom::next() { return esp_random(); }

void SerialLog::line(const char* fmt, ...) {
  char buf[256];
  const uint64_t ms = static_cast<uint64_t>(esp_timer_get_time()) / 1000;
  int n = snprintf(buf, sizeof buf, "[%6lu.%03u] ", static_cast<unsigned long>(ms / 1000),
                   static_cast<unsigned>(ms % 1000));
  if (n < 0) n = 0;
  va_list args;
  va_start(args, fmt);
  vsnprintf(buf + n, sizeof buf - static_cast<size_t>(n), fmt, args);
  va_end(args);
  Serial.println(buf);
}

void EspSystem::restart(const char* reason) {
  log_.line("system: restarting: %s", reason);
  Serial.flush();
  delay(200);
  ESP.restart();
}

const char* resetReasonName() {
  switch (esp_reset_reason()) {
    case ESP_RST_POWERON: return "power-on";
    case ESP_RST_EXT: return "external reset";
    case ESP_RST_SW: return "software restart";
    case ESP_RST_PANIC: return "crash (panic)";
    case ESP_RST_INT_WDT: return "interrupt watchdog";
    case ESP_RST_TASK_WDT: return "task watchdog";
    case ESP_RST_WDT: return "watchdog";
    case ESP_RST_DEEPSLEEP: return "deep sleep wake-up";
    case ESP_RST_BROWNOUT: return "BROWNOUT (supply voltage dropped: use a stronger 5 V supply)";
    case ESP_RST_SDIO: return "SDIO";
    default: return "unknown";
  }
}

void EspDeviceInfo::writeStatus(camrelay::JsonWriter& json) {
  json.key("board").str(CAM_BOARD_NAME);
  json.key("heap").num(ESP.getFreeHeap()).key("minHeap").num(ESP.getMinFreeHeap());
  json.key("psram").num(ESP.getFreePsram()).key("psramSize").num(ESP.getPsramSize());
  json.key("rssi").num(WiFi.RSSI());
  const IPAddress ip = WiFi.localIP();
  char ipText[16];
  snprintf(ipText, sizeof ipText, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
  json.key("ip").str(ipText);
  json.key("resetReason").str(resetReasonName());
}
