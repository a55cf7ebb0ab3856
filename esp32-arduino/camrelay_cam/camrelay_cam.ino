// camrelay camera firmware: streams JPEG frames from an ESP32 camera board to a camrelay relay over one
// persistent TCP connection (framed protocol v1, frame-protocol/PROTOCOL.md), and obeys the relay's CONTROL
// commands (frame size, quality, flash LED, on-demand streaming, ...).
//
// Targets arduino-esp32 core 3.0.x-3.2.x (ESP-IDF 5.1-5.4), which bundles esp32-camera 2.0.x. Set-up: the
// portal on the first boot (or config.h, copied from config.example.h). Build and wiring: README.md next to this
// folder.
//
// Design for months of unattended running:
//   - one task (priority 5, below Wi-Fi/lwIP) runs everything: no task per frame, no heap per frame;
//   - frames go from the camera's DMA buffer straight to the socket, with a deadline per frame;
//   - reconnects back off exponentially with jitter; Wi-Fi is re-begun when it stays down and the board restarts
//     after 10 minutes without Wi-Fi or when the camera stops producing frames despite re-inits;
//   - the task watchdog restarts the board if the loop ever hangs for 30 s;
//   - settings live in NVS (portal, CONTROL commands); updates come through the relay and roll back unless the new
//     image reaches the relay again.
#include <WiFi.h>

#include <new>

#include "board_pins.h"
#include "camrelay_config.h"
#include "esp_camera_port.h"
#include "esp_link.h"
#include "esp_mdns.h"
#include "esp_ota.h"
#include "esp_platform.h"
#include "esp_portal.h"
#include "esp_settings.h"
#include "esp_task_wdt.h"
#include "src/camrelay/camera_app.h"
#include "src/camrelay/provisioning.h"
#include "src/camrelay/supervisors.h"
#include "src/camrelay/version.h"

static const char kFirmware[] = CAMRELAY_FIRMWARE_NAME "/" CAMRELAY_FIRMWARE_VERSION " (" CAM_BOARD_NAME ")";
static const uint32_t kTaskStackBytes = 16384;  // a TLS handshake (mbedTLS, RSA/ECDHE) runs on this task
static const UBaseType_t kTaskPriority = 5;  // above loop()'s 1, below the Wi-Fi (23) and lwIP (18) tasks
static const uint32_t kWatchdogMs = 30000;   // longer than any single blocking call (connect 5 s, frame 5 s, mDNS 3 s)
static const uint64_t kReportEveryUs = 10ull * 1000 * 1000;
static const uint32_t kWifiSettleMs = 10000;  // Wi-Fi-first start: how long the camera waits for the association
static const char kPortalRequestKey[] = "portal.next";  // set when the saved network failed: open the portal

static SerialLog serialLog;
static EspClock espClock;
static EspRandom espRandom;
static EspSystem espSystem(serialLog);
static EspDeviceInfo deviceInfo;
static EspLink relayLink;
static EspCamera camera;
static NvsStore nvs;
static camrelay::SettingsStore settingsStore(nvs, serialLog);
static camrelay::DeviceSettings settings;
static EspHttpDownload otaDownload;
static EspFirmwareSlot otaSlot;
static EspSha256 otaSha;
static EspBootImage bootImage;
static EspMdnsBrowser mdns;
static camrelay::ButtonWatcher button;
static camrelay::StationWatch stationWatch;
static camrelay::NetworkSupervisor wifiSupervisor(30000, 10 * 60 * 1000);
// Built in setup(), once the settings are known (placement new: no heap).
alignas(camrelay::Client) static uint8_t clientStorage[sizeof(camrelay::Client)];
alignas(camrelay::OtaUpdater) static uint8_t otaStorage[sizeof(camrelay::OtaUpdater)];
alignas(camrelay::RelayLocator) static uint8_t locatorStorage[sizeof(camrelay::RelayLocator)];
alignas(camrelay::CameraApp) static uint8_t appStorage[sizeof(camrelay::CameraApp)];
static camrelay::Client* client = nullptr;
static camrelay::OtaUpdater* ota = nullptr;
static camrelay::CameraApp* app = nullptr;

static void copyText(char* out, size_t cap, const char* in) { snprintf(out, cap, "%s", in); }

// config.h's values: what the first boot and a factory reset start from.
static camrelay::DeviceSettings compiledDefaults() {
  camrelay::DeviceSettings d;
  copyText(d.wifiSsid, sizeof d.wifiSsid, CAMRELAY_WIFI_SSID);
  copyText(d.wifiPassword, sizeof d.wifiPassword, CAMRELAY_WIFI_PASSWORD);
  copyText(d.relayHost, sizeof d.relayHost, CAMRELAY_HOST);
  d.relayPort = CAMRELAY_PORT;
  copyText(d.cameraId, sizeof d.cameraId, CAMRELAY_CAMERA_ID);
  copyText(d.token, sizeof d.token, CAMRELAY_TOKEN);
  if (!camrelay::normalizeFingerprint(CAMRELAY_TLS_FINGERPRINT, d.tlsFingerprint)) d.tlsFingerprint[0] = '\0';
  if (!camrelay::parseFrameSize(CAMRELAY_FRAME_SIZE, &d.sensor.frameSize)) d.sensor.frameSize = camrelay::FrameSize::kVGA;
  d.sensor.quality = CAMRELAY_JPEG_QUALITY;
  d.sensor.vflip = CAMRELAY_VFLIP != 0;
  d.sensor.hmirror = CAMRELAY_HMIRROR != 0;
  return d;
}

static bool buttonPressed() { return digitalRead(CAM_BUTTON_GPIO) == LOW; }

// The first 3 s (longer while BOOT is held): BOOT pressed = portal, held 10 s = factory reset.
static camrelay::ButtonWatcher::Action watchBootButton() {
  pinMode(CAM_BUTTON_GPIO, INPUT_PULLUP);
  serialLog.line("camrelay: press BOOT now for the set-up portal, hold it 10 s to erase the settings");
  camrelay::ButtonWatcher::Action result = camrelay::ButtonWatcher::Action::kNone;
  bool announced = false;
  for (;;) {
    const uint64_t now = espClock.nowMicros();
    const camrelay::ButtonWatcher::Action a = button.poll(now, buttonPressed());
    if (a == camrelay::ButtonWatcher::Action::kFactoryReset) return a;
    if (a != camrelay::ButtonWatcher::Action::kNone) result = a;
    if (button.held() && !announced) {
      serialLog.line("camrelay: BOOT pressed: release for the portal, keep holding for a factory reset");
      announced = true;
    }
    if (button.settled(now)) return result;
    delay(10);
  }
}

static void startWifi() {
  WiFi.persistent(false);               // the settings store keeps the credentials, not the Wi-Fi driver
  WiFi.setHostname(settings.cameraId);  // before the station interface starts, or it is not applied
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(settings.wifiSsid, settings.wifiPassword[0] ? settings.wifiPassword : nullptr);
  WiFi.setSleep(false);  // modem sleep adds 100+ ms of latency and drops throughput
  serialLog.line("wifi: connecting to \"%s\"", settings.wifiSsid);
}

static void startCamera() {
  EspCamera::Options options{settings.sensor, CAMRELAY_XCLK_HZ};
  for (int attempt = 1; attempt <= 3; attempt++) {
    if (camera.begin(options, serialLog)) return;
    delay(500);
  }
  delay(10000);  // give a human time to read the log, then try again from scratch
  espSystem.restart("camera did not start");
}

static void superviseWifi(uint64_t now) {
  const bool wasUp = wifiSupervisor.connected();
  const bool up = WiFi.status() == WL_CONNECTED;
  switch (wifiSupervisor.poll(now, up)) {
    case camrelay::NetworkSupervisor::Action::kRebegin:
      serialLog.line("wifi: still down (status %d), starting over", static_cast<int>(WiFi.status()));
      WiFi.disconnect();
      WiFi.begin(settings.wifiSsid, settings.wifiPassword[0] ? settings.wifiPassword : nullptr);
      WiFi.setSleep(false);
      break;
    case camrelay::NetworkSupervisor::Action::kRestart:
      espSystem.restart("no Wi-Fi for 10 minutes");
      break;
    case camrelay::NetworkSupervisor::Action::kNone:
      break;
  }
  if (stationWatch.shouldOpenPortal(now, up)) {
    serialLog.line("wifi: \"%s\" not joined for 3 minutes: restarting into the set-up portal", settings.wifiSsid);
    nvs.putInt(kPortalRequestKey, 1);
    espSystem.restart("saved network unreachable");
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
#if !CAM_BUTTON_SHARED_WITH_CAMERA
    if (button.poll(now, buttonPressed()) == camrelay::ButtonWatcher::Action::kFactoryReset) {
      app->factoryResetNow("BOOT button held 10 s");
    }
#endif
    const uint32_t sleepMs = app->step(now);
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

  if (!nvs.begin()) serialLog.line("settings: NVS could not be opened: running on config.h's values");
  const camrelay::LoadReport loaded = settingsStore.load(compiledDefaults(), &settings);
  serialLog.line("settings: %s%s", loaded.freshStore ? "nothing saved yet, config.h's values" : "restored from flash",
                 loaded.damaged ? " (some entries were damaged: defaults used for them)" : "");

  camrelay::ButtonWatcher::Action pressed = watchBootButton();
  if (pressed == camrelay::ButtonWatcher::Action::kFactoryReset) {
    settingsStore.factoryReset();
    espSystem.restart("factory reset (BOOT held 10 s)");
  }
  int32_t portalRequest = 0;
  if (nvs.getInt(kPortalRequestKey, &portalRequest) == camrelay::KeyValueStore::Read::kOk) {
    nvs.remove(kPortalRequestKey);
    if (portalRequest == 1) pressed = camrelay::ButtonWatcher::Action::kPortal;
  }
  const camrelay::BootDecision boot = camrelay::decideBootMode(settings, pressed);
  serialLog.line("camrelay: %s: %s", boot.mode == camrelay::BootMode::kPortal ? "set-up portal" : "station",
                 boot.reason);
  if (boot.mode == camrelay::BootMode::kPortal) {
    runPortal(settingsStore, settings, kFirmware, CAMRELAY_PORTAL_PASSWORD, espClock, serialLog, espSystem);
  }

  ota = new (otaStorage) camrelay::OtaUpdater(otaDownload, otaSlot, otaSha, bootImage, nvs, espClock, serialLog,
                                              CAMRELAY_FIRMWARE_VERSION);
  ota->atBoot();

  // Start-up order (README, "Wiring and power"): see chooseStartOrder().
  const camrelay::StartOrder order = camrelay::chooseStartOrder(psramFound());
  serialLog.line("power: start order: %s", camrelay::startOrderReason(order));
  if (order == camrelay::StartOrder::kWifiFirst) {
    startWifi();
    const uint64_t until = espClock.nowMicros() + static_cast<uint64_t>(kWifiSettleMs) * 1000;
    while (WiFi.status() != WL_CONNECTED && espClock.nowMicros() < until) delay(100);
    serialLog.line("power: Wi-Fi %s, starting the camera", WiFi.status() == WL_CONNECTED ? "up" : "not up yet");
    startCamera();
  } else {
    startCamera();
    startWifi();
  }

  uint8_t pin[32];
  const bool tls = settings.tls() && camrelay::fingerprintBytes(settings.tlsFingerprint, pin);
  relayLink.usePinnedTls(tls ? pin : nullptr);
  otaDownload.setPin(tls ? pin : nullptr);
  mdns.begin(settings.cameraId, kFirmware, serialLog);

  camrelay::ClientConfig cfg;
  cfg.host = settings.relayHost;
  cfg.hostFoundLater = settings.findRelayByMdns();
  cfg.port = settings.relayPort;
  cfg.cameraId = settings.cameraId;
  cfg.token = settings.token;
  cfg.firmware = kFirmware;
  cfg.onDemand = CAMRELAY_ON_DEMAND != 0;
  cfg.maxFps = CAMRELAY_MAX_FPS;
  client = new (clientStorage) camrelay::Client(cfg, relayLink, espClock, espRandom, camera, camera, &deviceInfo,
                                                espSystem, serialLog, camera.settings());
  if (client->configError() != nullptr) serialLog.line("camrelay: settings problem: %s", client->configError());
  camrelay::RelayLocator* locator = nullptr;
  if (settings.findRelayByMdns()) {
    locator = new (locatorStorage) camrelay::RelayLocator(mdns, espRandom, serialLog, tls);
    serialLog.line("relay: no host set: looking for _camrelay._tcp by mDNS");
  }
  app = new (appStorage) camrelay::CameraApp(*client, settingsStore, *ota, locator, espSystem, serialLog,
                                             settings.token);
  serialLog.line("relay: %s%s", tls ? "TLS, certificate pinned by SHA-256" : "plain TCP",
                 tls ? "" : " (the token crosses the network in clear: set a fingerprint for TLS)");

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
