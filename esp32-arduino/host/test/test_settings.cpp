// The settings store over a fake NVS namespace: round trip, defaults, damaged entries, factory reset.
#include "fakes.h"
#include "harness.h"

using namespace camrelay;
using namespace fakes;

namespace {

DeviceSettings compiledDefaults() {
  DeviceSettings d;
  snprintf(d.cameraId, sizeof d.cameraId, "esp32cam");
  d.relayPort = 3008;
  d.sensor.quality = 12;
  return d;
}

DeviceSettings portalSettings() {
  DeviceSettings s = compiledDefaults();
  snprintf(s.wifiSsid, sizeof s.wifiSsid, "home net");
  snprintf(s.wifiPassword, sizeof s.wifiPassword, "pa ss+word%%");
  snprintf(s.relayHost, sizeof s.relayHost, "relay.lan");
  s.relayPort = 4000;
  snprintf(s.cameraId, sizeof s.cameraId, "garage");
  snprintf(s.token, sizeof s.token, "s3cret-T0ken");
  snprintf(s.tlsFingerprint, sizeof s.tlsFingerprint, "%s",
           "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  s.sensor.frameSize = FrameSize::kSVGA;
  return s;
}

// A fake NVS namespace and a store over it; reboot() starts a new store on the same namespace.
struct Rig {
  FakeNvs nvs;
  CaptureLog log;
  DeviceSettings s;
  std::unique_ptr<SettingsStore> store{new SettingsStore(nvs, log)};
  LoadReport reboot() {
    store.reset(new SettingsStore(nvs, log));
    return store->load(compiledDefaults(), &s);
  }
};

}  // namespace

TEST(anEmptyStoreGivesTheCompiledDefaultsAndSaysItIsFresh) {
  Rig r;
  const LoadReport report = r.reboot();
  CHECK(report.freshStore);
  CHECK_EQ(report.damaged, 0u);
  CHECK_EQ(std::string(r.s.cameraId), std::string("esp32cam"));
  CHECK(!r.s.provisioned());
  CHECK(r.s.findRelayByMdns());
}

TEST(portalSettingsSurviveARebootIntoANewStoreObject) {
  Rig r;
  r.reboot();
  CHECK(r.store->saveProvisioning(portalSettings()));
  const LoadReport report = r.reboot();
  const DeviceSettings& s = r.s;
  CHECK(!report.freshStore);
  CHECK_EQ(report.damaged, 0u);
  CHECK_EQ(std::string(s.wifiSsid), std::string("home net"));
  CHECK_EQ(std::string(s.wifiPassword), std::string("pa ss+word%"));
  CHECK_EQ(std::string(s.relayHost), std::string("relay.lan"));
  CHECK_EQ(s.relayPort, static_cast<uint16_t>(4000));
  CHECK_EQ(std::string(s.cameraId), std::string("garage"));
  CHECK_EQ(std::string(s.token), std::string("s3cret-T0ken"));
  CHECK(s.tls());
  CHECK(s.sensor.frameSize == FrameSize::kSVGA);
  CHECK(s.provisioned());
}

TEST(everyControlCommandSettingIsRestoredAfterAReboot) {
  Rig r;
  r.reboot();
  {
    FakeCamera camera;
    CommandDispatcher dispatcher(camera, r.s.sensor);
    struct Saver : SettingsObserver {
      SettingsStore* store;
      void onSensorSettingsChanged(const SensorSettings& sensor) override { store->saveSensor(sensor); }
    } saver;
    saver.store = r.store.get();
    dispatcher.setObserver(&saver);
    struct NoSession : Session {
      void setStreaming(bool) override {}
      bool streaming() const override { return false; }
      void requestRestart() override {}
      void writeStatus(JsonWriter&) override {}
    } session;
    for (const char* cmd : {R"({"cmd":"framesize","value":"XGA"})", R"({"cmd":"quality","value":9})",
                            R"({"cmd":"brightness","value":-1})", R"({"cmd":"contrast","value":2})",
                            R"({"cmd":"vflip","value":true})", R"({"cmd":"hmirror","value":true})",
                            R"({"cmd":"led","value":77})"}) {
      char out[kMaxReply];
      bool ok = false;
      dispatcher.handle(cmd, strlen(cmd), session, nullptr, out, sizeof out, &ok);
      CHECK(ok);
    }
  }
  r.reboot();
  const DeviceSettings& s = r.s;
  CHECK(s.sensor.frameSize == FrameSize::kXGA);
  CHECK_EQ(s.sensor.quality, 9);
  CHECK_EQ(s.sensor.brightness, -1);
  CHECK_EQ(s.sensor.contrast, 2);
  CHECK(s.sensor.vflip);
  CHECK(s.sensor.hmirror);
  CHECK_EQ(s.sensor.led, 77);
}

TEST(anUnchangedSettingIsNotWrittenAgain) {
  Rig r;
  r.reboot();
  SensorSettings sensor = r.s.sensor;
  sensor.quality = 20;
  CHECK(r.store->saveSensor(sensor));
  const int writes = r.nvs.writes;
  CHECK(r.store->saveSensor(sensor));
  CHECK_EQ(r.nvs.writes, writes);
  sensor.led = 5;
  CHECK(r.store->saveSensor(sensor));
  CHECK_EQ(r.nvs.writes, writes + 1);
}

TEST(aDamagedEntryFallsBackToItsDefaultAloneAndIsLoggedByNameNotValue) {
  Rig r;
  r.reboot();
  r.store->saveProvisioning(portalSettings());
  FakeNvs& nvs = r.nvs;
  nvs.entries["quality"] = FakeNvs::Entry{false, 0, "twelve"};          // wrong type
  nvs.entries["bright"] = FakeNvs::Entry{true, 9, ""};                  // out of range
  nvs.entries["id"] = FakeNvs::Entry{false, 0, "../etc"};               // not a camera id
  nvs.entries["fp"] = FakeNvs::Entry{false, 0, "s3cret-T0ken-not-hex"};  // not a fingerprint
  nvs.entries["fsize"] = FakeNvs::Entry{false, 0, "HUGE"};
  nvs.entries["token"] = FakeNvs::Entry{false, 0, std::string(400, 'x')};  // longer than a token can be
  const LoadReport report = r.reboot();
  const DeviceSettings& s = r.s;
  const CaptureLog& log = r.log;
  CHECK_EQ(report.damaged, 6u);
  CHECK_EQ(s.sensor.quality, 12);
  CHECK_EQ(s.sensor.brightness, 0);
  CHECK_EQ(std::string(s.cameraId), std::string("esp32cam"));
  CHECK(!s.tls());
  CHECK(s.sensor.frameSize == FrameSize::kVGA);
  CHECK_EQ(std::string(s.token), std::string(""));
  CHECK_EQ(std::string(s.wifiSsid), std::string("home net"));  // the rest is intact
  CHECK_CONTAINS(log.all(), "saved 'quality' is unusable (not an integer)");
  CHECK_CONTAINS(log.all(), "saved 'id' is unusable");
  CHECK(!log.contains("s3cret"));
  CHECK(!log.contains("twelve"));
}

TEST(settingsWrittenByANewerFirmwareAreIgnoredAfterARollback) {
  Rig r;
  r.nvs.entries["v"] = FakeNvs::Entry{true, 7, ""};
  r.nvs.entries["quality"] = FakeNvs::Entry{true, 30, ""};
  CHECK_EQ(r.reboot().damaged, 1u);
  CHECK_EQ(r.s.sensor.quality, 12);
  CHECK_CONTAINS(r.log.all(), "newer firmware");
}

TEST(factoryResetErasesEverySettingSoTheNextBootIsAFirstBoot) {
  Rig r;
  r.reboot();
  r.store->saveProvisioning(portalSettings());
  CHECK(r.store->factoryReset());
  CHECK(r.nvs.entries.empty());
  CHECK(r.reboot().freshStore);
  CHECK(!r.s.provisioned());
}

TEST(aStoreThatRefusesWritesIsReportedNotIgnored) {
  Rig r;
  r.reboot();
  r.nvs.readOnly = true;
  CHECK(!r.store->saveProvisioning(portalSettings()));
  CHECK_CONTAINS(r.log.all(), "saving the set-up FAILED");
}

TEST(fingerprintsAreAcceptedWithColonsOrSpacesInEitherCaseAndNothingElse) {
  char out[kFingerprintCap];
  CHECK(normalizeFingerprint("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
                             out));
  CHECK_EQ(std::string(out), std::string("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
  CHECK(normalizeFingerprint("abcdef0123456789 abcdef0123456789 abcdef0123456789 abcdef0123456789", out));
  CHECK(!normalizeFingerprint("abcdef", out));                                   // too short
  CHECK(!normalizeFingerprint(std::string(66, 'a').c_str(), out));               // too long
  CHECK(!normalizeFingerprint(("g" + std::string(63, 'a')).c_str(), out));       // not hex
  uint8_t bytes[32];
  CHECK(fingerprintBytes("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", bytes));
  CHECK_EQ(bytes[0], static_cast<uint8_t>(0xAB));
  CHECK_EQ(bytes[31], static_cast<uint8_t>(0x89));
}

TEST(secretsCompareEqualOnlyWhenIdentical) {
  CHECK(secretEquals("abc", "abc"));
  CHECK(!secretEquals("abc", "abd"));
  CHECK(!secretEquals("abc", "abcd"));
  CHECK(!secretEquals("", "a"));
  CHECK(secretEquals("", ""));
}
