// camrelay camera firmware: streams JPEG frames from an ESP32 camera board to a camrelay relay over one
// persistent TCP connection (framed protocol v1, frame-protocol/PROTOCOL.md), and obeys the relay's CONTROL
// commands (frame size, quality, flash LED, on-demand streaming, ...).
//
// Targets arduino-esp32 core 3.0.x-3.2.x (ESP-IDF 5.1-5.4), which bundles esp32-camera 2.0.x. Settings: config.h
// (copy config.example.h). Build and wiring: README.md next to this folder.
//
// Design for months of unattended running:
//   - one task (priority 5, below Wi-Fi/lwIP) runs everything: no task per frame, no heap per frame;
//   - frames go from the camera's DMA buffer straight to the socket, with a deadline per frame;
//   - reconnects back off exponentially with jitter; Wi-Fi is re-begun when it stays down and the board restarts
//     after 10 minutes without Wi-Fi or when the camera stops producing frames despite re-inits;
//   - the task watchdog restarts the board if the loop ever hangs for 30 s.
#include <WiFi.h>

#include <new>

#include "board_pins.h"
#include "camrelay_config.h"
#include "esp_camera_port.h"
#include "esp_link.h"
#include "esp_platform.h"
#include "esp_task_wdt.h"
#include "src/camrelay/client.h"
#include "src/camrelay/supervisors.h"
#include "src/camrelay/version.h"

static const char kFirmware[] = CAMRELAY_FIRMWARE_NAME "/" CAMRELAY_FIRMWARE_VERSION " (" CAM_BOARD_NAME ")";
static const uint32_t kTaskStackBytes = 8192;
static const UBaseType_t kTaskPriority = 5;  // above loop()'s 1, below the Wi-Fi (23) and lwIP (18) tasks
static const uint32_t kWatchdogMs = 30000;   // longer than any single blocking call (connect 5 s, frame 5 s)
static const uint64_t kReportEveryUs = 10ull * 1000 * 1000;

static SerialLog serialLog;
static EspClock espClock;
static EspRandom espRandom;
static EspSystem espSystem(serialLog);
static EspDeviceInfo deviceInfo;
static EspLink relayLink;
static EspCamera camera;
static camrelay::NetworkSupervisor wifiSupervisor(30000, 10 * 60 * 1000);
static camrelay::Client* client = nullptr;  // built in setup(), once the camera settings are known
alignas(camrelay::Client) static uint8_t clientStorage[sizeof(camrelay::Client)];

static camrelay::SensorSettings initialSettings() {
  camrelay::SensorSettings s;
  if (!camrelay::parseFrameSize(CAMRELAY_FRAME_SIZE, &s.frameSize)) s.frameSize = camrelay::FrameSize::kVGA;
  s.quality = CAMRELAY_JPEG_QUALITY;
  s.vflip = CAMRELAY_VFLIP != 0;
  s.hmirror = CAMRELAY_HMIRROR != 0;
  return s;
}

static void startWifi() {
  WiFi.persistent(false);                // do not rewrite the credentials to flash on every boot
  WiFi.setHostname(CAMRELAY_CAMERA_ID);  // before the station interface starts, or it is not applied
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(CAMRELAY_WIFI_SSID, CAMRELAY_WIFI_PASSWORD);
  WiFi.setSleep(false);  // modem sleep adds 100+ ms of latency and drops throughput
  serialLog.line("wifi: connecting to \"%s\"", CAMRELAY_WIFI_SSID);
}

static void superviseWifi(uint64_t now) {
  const bool wasUp = wifiSupervisor.connected();
  const bool up = WiFi.status() == WL_CONNECTED;
  switch (wifiSupervisor.poll(now, up)) {
    case camrelay::NetworkSupervisor::Action::kRebegin:
      serialLog.line("wifi: still down (status %d), starting over", static_cast<int>(WiFi.status()));
      WiFi.disconnect();
      WiFi.begin(CAMRELAY_WIFI_SSID, CAMRELAY_WIFI_PASSWORD);
      WiFi.setSleep(false);
      break;
    case camrelay::NetworkSupervisor::Action::kRestart:
      espSystem.restart("no Wi-Fi for 10 minutes");
      break;
    case camrelay::NetworkSupervisor::Action::kNone:
      break;
  }
  if (up && !wasUp) {
    const IPAddress ip = WiFi.localIP();
    serialLog.line("wifi: connected, ip %u.%u.%u.%u, rssi %d dBm", ip[0], ip[1], ip[2], ip[3],
                   static_cast<int>(WiFi.RSSI()));
  } else if (!up && wasUp) {
    serialLog.line("wifi: connection lost, reconnecting");
  }
}

static void report() {
  const camrelay::ClientStats& s = client->stats();
  serialLog.line("stats: relay %s, %lu.%lu fps, last frame %lu B %ux%u, sent %lu, dropped %lu, heap %lu (min %lu), "
                 "psram %lu, rssi %d, stack free %lu",
                 camrelay::stateName(client->state()), static_cast<unsigned long>(s.fpsTenths / 10),
                 static_cast<unsigned long>(s.fpsTenths % 10), static_cast<unsigned long>(s.lastFrameBytes),
                 s.lastFrameWidth, s.lastFrameHeight, static_cast<unsigned long>(s.framesSent),
                 static_cast<unsigned long>(s.framesDropped), static_cast<unsigned long>(ESP.getFreeHeap()),
                 static_cast<unsigned long>(ESP.getMinFreeHeap()), static_cast<unsigned long>(ESP.getFreePsram()),
                 static_cast<int>(WiFi.RSSI()), static_cast<unsigned long>(uxTaskGetStackHighWaterMark(nullptr)));
}

static void watchTask() {
  esp_task_wdt_config_t wdt = {};
  wdt.timeout_ms = kWatchdogMs;
  wdt.idle_core_mask = 1u << 0;  // keep watching core 0's idle task, as the Arduino core does by default
  wdt.trigger_panic = true;  // panic = restart with a backtrace on the serial log
  if (esp_task_wdt_reconfigure(&wdt) != ESP_OK) esp_task_wdt_init(&wdt);
  esp_task_wdt_add(nullptr);
}

static void cameraTask(void*) {
  watchTask();
  uint64_t lastReport = espClock.nowMicros();
  for (;;) {
    esp_task_wdt_reset();
    const uint64_t now = espClock.nowMicros();
    superviseWifi(now);
    const uint32_t sleepMs = client->step();
    if (now - lastReport >= kReportEveryUs) {
      lastReport = now;
      report();
    }
    vTaskDelay(pdMS_TO_TICKS(sleepMs > 0 ? sleepMs : 1));  // always yield at least one tick
  }
}

void setup() {
  Serial.begin(115200);
  serialLog.line("camrelay: %s starting, reset reason: %s", kFirmware, resetReasonName());
  if (esp_reset_reason() == ESP_RST_BROWNOUT) {
    serialLog.line("camrelay: the last reset was a BROWNOUT: power the board from a solid 5 V / 2 A supply");
  }

  EspCamera::Options options{initialSettings(), CAMRELAY_XCLK_HZ};
  bool cameraOk = false;
  for (int attempt = 1; attempt <= 3 && !cameraOk; attempt++) {
    cameraOk = camera.begin(options, serialLog);
    if (!cameraOk) delay(500);
  }
  if (!cameraOk) {
    delay(10000);  // give a human time to read the log, then try again from scratch
    espSystem.restart("camera did not start");
  }

  camrelay::ClientConfig cfg;
  cfg.host = CAMRELAY_HOST;
  cfg.port = CAMRELAY_PORT;
  cfg.cameraId = CAMRELAY_CAMERA_ID;
  cfg.token = CAMRELAY_TOKEN;
  cfg.firmware = kFirmware;
  cfg.onDemand = CAMRELAY_ON_DEMAND != 0;
  cfg.maxFps = CAMRELAY_MAX_FPS;
  client = new (clientStorage) camrelay::Client(cfg, relayLink, espClock, espRandom, camera, camera, &deviceInfo,
                                                espSystem, serialLog, camera.settings());
  if (client->configError() != nullptr) serialLog.line("camrelay: config.h problem: %s", client->configError());

  startWifi();
  TaskHandle_t task = nullptr;
#if CONFIG_FREERTOS_UNICORE
  const BaseType_t core = 0;
#else
  const BaseType_t core = 1;  // the application core; Wi-Fi runs on core 0
#endif
  if (xTaskCreatePinnedToCore(cameraTask, "camrelay", kTaskStackBytes, nullptr, kTaskPriority, &task, core) != pdPASS) {
    espSystem.restart("could not start the camrelay task");
  }
}

void loop() {
  vTaskDelete(nullptr);  // everything runs in cameraTask; free loop()'s stack
}
