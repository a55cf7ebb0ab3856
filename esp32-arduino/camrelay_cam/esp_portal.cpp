#include "esp_portal.h"

#include <DNSServer.h>
#include <WebServer.h>
#include <WiFi.h>

#include "esp_task_wdt.h"

namespace {

constexpr size_t kMaxNetworks = 12;
constexpr size_t kPageCap = 6144;

char networkNames[kMaxNetworks][camrelay::kSsidCap];
const char* networkList[kMaxNetworks];
size_t networkCount = 0;
char page[kPageCap];

void scanNetworks(camrelay::Log& log) {
  const int16_t found = WiFi.scanNetworks();
  networkCount = 0;
  for (int16_t i = 0; i < found && networkCount < kMaxNetworks; i++) {
    snprintf(networkNames[networkCount], sizeof networkNames[networkCount], "%s", WiFi.SSID(i).c_str());
    networkList[networkCount] = networkNames[networkCount];
    networkCount++;
  }
  WiFi.scanDelete();
  log.line("portal: %d Wi-Fi networks in range", found < 0 ? 0 : static_cast<int>(found));
}

}  // namespace

void runPortal(camrelay::SettingsStore& store, const camrelay::DeviceSettings& current, const char* firmware,
               const char* apPassword, camrelay::Clock& clock, camrelay::Log& log, camrelay::System& system) {
  static DNSServer dns;
  static WebServer server(80);
  static camrelay::DeviceSettings settings;
  settings = current;
  camrelay::PortalWatch watch(current.provisioned());
  bool saved = false;
  uint64_t savedAtUs = 0;

  char apName[32];
  snprintf(apName, sizeof apName, "camrelay-%.22s", current.cameraId[0] ? current.cameraId : "camera");
  WiFi.persistent(false);
  WiFi.mode(WIFI_AP_STA);  // STA too, for the scan
  scanNetworks(log);
  const bool withPassword = apPassword != nullptr && apPassword[0] != '\0';
  if (!WiFi.softAP(apName, withPassword ? apPassword : nullptr)) system.restart("could not start the access point");
  const IPAddress ip = WiFi.softAPIP();
  dns.setErrorReplyCode(DNSReplyCode::NoError);
  dns.start(53, "*", ip);
  log.line("portal: join Wi-Fi \"%s\"%s and open http://%u.%u.%u.%u/", apName,
           withPassword ? " (password from config.h)" : " (open)", ip[0], ip[1], ip[2], ip[3]);

  auto show = [&](int code, const char* message) {
    const size_t n = camrelay::renderPortalPage(settings, message, networkList, networkCount, firmware, page,
                                                sizeof page);
    server.sendHeader("Cache-Control", "no-store");
    server.send(code, "text/html; charset=utf-8", n > 0 ? page : "page too large");
  };
  server.on("/", HTTP_GET, [&]() {
    watch.onVisit(clock.nowMicros());
    show(200, "");
  });
  server.on("/save", HTTP_POST, [&]() {
    watch.onVisit(clock.nowMicros());
    camrelay::PortalForm form;
    static const char* const kFields[] = {"ssid", "pass", "open", "mdns", "host", "port", "id", "token", "notoken",
                                          "fsize", "fp"};
    for (const char* name : kFields) {
      if (server.hasArg(name)) form.set(name, server.arg(name).c_str());
    }
    camrelay::DeviceSettings next;
    char error[160];
    if (!camrelay::applyPortalForm(form, settings, &next, error, sizeof error)) {
      log.line("portal: form refused: %s", error);
      show(400, error);
      return;
    }
    if (!store.saveProvisioning(next)) {
      show(500, "saving failed (flash full or worn?): try again, or erase the flash");
      return;
    }
    settings = next;
    log.line("portal: saved (network \"%s\", relay %s, camera '%s'%s): restarting", next.wifiSsid,
             next.relayHost[0] ? next.relayHost : "found by mDNS", next.cameraId, next.tls() ? ", TLS pinned" : "");
    server.send(200, "text/html; charset=utf-8",
                "<!doctype html><meta charset=utf-8><p>Saved. The camera restarts and joins your network; this access "
                "point disappears.</p>");
    saved = true;
    savedAtUs = clock.nowMicros();
  });
  server.onNotFound([&]() {  // captive-portal probes (generate_204, hotspot-detect.html, ...) land here
    char location[40];
    snprintf(location, sizeof location, "http://%u.%u.%u.%u/", ip[0], ip[1], ip[2], ip[3]);
    server.sendHeader("Location", location);
    server.send(302, "text/plain", "");
  });
  server.begin();

  for (;;) {
    esp_task_wdt_reset();
    dns.processNextRequest();
    server.handleClient();
    const uint64_t now = clock.nowMicros();
    if (saved && now - savedAtUs > 1500000) system.restart("set-up saved");
    if (watch.shouldRestart(now)) system.restart("portal untouched for 10 minutes: trying the saved network again");
    delay(5);
  }
}
