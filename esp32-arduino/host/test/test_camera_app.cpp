// The camera's loop end to end on the host: the relay's CONTROL messages drive saved settings, updates and factory
// reset through the real client, over a scripted link; update events reach the relay as CONTROL requests (id 0).
#include "camrelay/camera_app.h"

#include "fake_ota.h"
#include "fakes.h"
#include "harness.h"
#include "openssl_sha256.h"

using namespace camrelay;
using namespace fakes;

namespace {

struct AppRig {
  ManualClock clock;
  FakeLink link{clock};
  FixedRandom random{0};
  FakeFrames frames;
  FakeCamera camera;
  FakeSystem system;
  CaptureLog log;
  FakeNvs nvs;
  FakeHttp http;
  FakeFlash flash;
  OpenSslSha256 sha;
  SettingsStore store{nvs, log};
  std::unique_ptr<Client> client;
  std::unique_ptr<OtaUpdater> ota;
  std::unique_ptr<CameraApp> app;

  void start(const char* host = "relay.local", RelayLocator* locator = nullptr) {
    ClientConfig c;
    c.host = host;
    c.hostFoundLater = locator != nullptr;
    c.cameraId = "garage";
    c.token = "s3cret-T0ken";
    c.onDemand = false;
    frames.jpegs = {jpeg(1000, 0x11)};
    client.reset(new Client(c, link, clock, random, frames, camera, nullptr, system, log, SensorSettings{}));
    ota.reset(new OtaUpdater(http, flash, sha, flash, nvs, clock, log, "0.1.0"));
    ota->atBoot();
    app.reset(new CameraApp(*client, store, *ota, locator, system, log, "s3cret-T0ken"));
  }
  template <typename Pred>
  void stepUntil(Pred pred, int maxSteps = 100000) {
    for (int i = 0; i < maxSteps && !pred(); i++) clock.advanceMs(app->step(clock.now));
    if (!pred()) throw harness::Failure("condition not reached\n" + log.all());
  }
  void connect() {
    stepUntil([&] { return client->state() == State::kHelloSent; });
    link.relaySends(welcome(true));
    stepUntil([&] { return client->state() == State::kStreaming; });
  }
  // CONTROL messages the camera sent: replies (flag set) and requests (its events).
  std::vector<std::string> controls(bool replies) {
    std::vector<std::string> out;
    for (const Sent& m : decodeAll(link.outbound)) {
      if (m.header.type != static_cast<uint8_t>(wire::Type::kControl)) continue;
      if (((m.header.flags & 1) != 0) != replies) continue;
      out.push_back(text(m.payload, 4));
    }
    return out;
  }
  size_t framesSent() {
    size_t n = 0;
    for (const Sent& m : decodeAll(link.outbound)) n += m.header.type == static_cast<uint8_t>(wire::Type::kFrame);
    return n;
  }
};

}  // namespace

TEST(anUpdateOfferedOverTheControlChannelIsDownloadedReportedAndRestartedInto) {
  AppRig r;
  r.start();
  r.connect();
  const std::vector<uint8_t> image = firmwareImage(200 * 1024, 7);
  r.http.body = image;
  r.http.stallAt = 150 * 1024;  // a slow server: frames are held meanwhile
  r.link.relaySends(control(9, R"({"cmd":"ota","url":"http://relay.local:8080/firmware/garage/1.bin","size":)" +
                                   std::to_string(image.size()) + R"(,"sha256":")" + sha256Hex(image) +
                                   R"(","version":"0.2.0"})"));
  r.stepUntil([&] { return r.ota->received() >= 150 * 1024; });
  const size_t framesDuring = r.framesSent();
  r.clock.advanceMs(5000);
  r.app->step(r.clock.now);
  CHECK_EQ(r.framesSent(), framesDuring);  // no frames while downloading
  r.http.stallAt = SIZE_MAX;
  r.stepUntil([&] { return !r.system.restarts.empty(); });
  CHECK_EQ(r.system.restarts.back(), std::string("firmware update"));
  CHECK_CONTAINS(r.controls(true).front(), R"({"ok":true,"ota":"downloading","size":204800})");
  std::string events;
  for (auto& e : r.controls(false)) events += e + "\n";
  CHECK_CONTAINS(events, R"({"event":"ota","state":"downloading","received":)");
  CHECK_CONTAINS(events, R"({"event":"ota","state":"rebooting","version":"0.2.0"})");
  CHECK_EQ(r.flash.bootNext, 1);
  CHECK_CONTAINS(r.log.all(), "relay: closed (restarting into new firmware)");
}

TEST(aCorruptedImageIsRefusedAndTheCameraKeepsStreaming) {
  AppRig r;
  r.start();
  r.connect();
  std::vector<uint8_t> image = firmwareImage(50 * 1024, 3);
  const std::string sha = sha256Hex(image);
  image[100] ^= 0xFF;
  r.http.body = image;
  r.link.relaySends(control(4, R"({"cmd":"ota","url":"http://relay.local:8080/fw.bin","size":51200,"sha256":")" +
                                   sha + R"("})"));
  r.stepUntil([&] { return !r.controls(false).empty() && r.controls(false).back().find("failed") != std::string::npos; });
  CHECK_CONTAINS(r.controls(false).back(), R"("state":"failed","error":"SHA-256 mismatch)");
  CHECK(r.system.restarts.empty());
  const size_t before = r.framesSent();
  r.stepUntil([&] { return r.framesSent() > before; });
}

TEST(aNewImageIsConfirmedByTheFirstWelcome) {
  AppRig r;
  r.flash.slots[1].bytes = firmwareImage(1000, 1);
  r.flash.slots[1].state = FakeFlash::ImageState::kNew;
  r.flash.bootNext = 1;
  r.flash.reboot();
  r.start();
  CHECK(r.flash.pendingVerify());
  r.connect();
  CHECK(!r.flash.pendingVerify());
  r.stepUntil([&] { return !r.controls(false).empty(); });
  CHECK_CONTAINS(r.controls(false).front(), R"("state":"confirmed")");
}

TEST(settingsChangedByTheRelaySurviveARestart) {
  AppRig r;
  r.start();
  r.connect();
  r.link.relaySends(control(1, R"({"cmd":"quality","value":8})"));
  r.link.relaySends(control(2, R"({"cmd":"led","value":40})"));
  r.stepUntil([&] { return r.controls(true).size() == 2; });
  SettingsStore afterReboot(r.nvs, r.log);
  DeviceSettings s;
  afterReboot.load(DeviceSettings{}, &s);
  CHECK_EQ(s.sensor.quality, 8);
  CHECK_EQ(s.sensor.led, 40);
}

TEST(factoryResetByControlNeedsThisCamerasTokenWhichIsNeverLogged) {
  AppRig r;
  r.start();
  r.connect();
  r.link.relaySends(control(1, R"({"cmd":"quality","value":8})"));
  r.link.relaySends(control(2, R"({"cmd":"factory-reset","token":"guess"})"));
  r.link.relaySends(control(3, R"({"cmd":"factory-reset"})"));
  r.stepUntil([&] { return r.controls(true).size() == 3; });
  CHECK_CONTAINS(r.controls(true)[1], "this camera's token");
  CHECK_CONTAINS(r.controls(true)[2], "this camera's token");
  CHECK(!r.nvs.entries.empty());
  r.link.relaySends(control(4, R"({"cmd":"factory-reset","token":"s3cret-T0ken"})"));
  r.stepUntil([&] { return !r.system.restarts.empty(); });
  CHECK_CONTAINS(r.controls(true)[3], R"({"ok":true,"factoryReset":true,"restarting":true})");
  CHECK(r.nvs.entries.empty());
  CHECK(!r.log.contains("s3cret"));
  CHECK(!r.log.contains("guess"));
  CHECK_CONTAINS(r.log.all(), "(a command with a token, not shown)");
}

TEST(withoutAHostTheCameraConnectsToTheRelayMdnsFinds) {
  struct Browser : MdnsBrowser {
    size_t browse(MdnsService* out, size_t, uint32_t) override {
      snprintf(out[0].instance, sizeof out[0].instance, "relay");
      snprintf(out[0].address, sizeof out[0].address, "192.168.1.77");
      out[0].port = 3008;
      snprintf(out[0].txtPort, sizeof out[0].txtPort, "3009");
      return 1;
    }
  } browser;
  AppRig r;
  RelayLocator locator(browser, r.random, r.log, false);
  r.start("", &locator);
  CHECK(r.client->configError() == nullptr);
  r.connect();
  CHECK_EQ(r.link.lastHost, std::string("192.168.1.77"));
  CHECK_EQ(r.link.lastPort, static_cast<uint16_t>(3009));
}
