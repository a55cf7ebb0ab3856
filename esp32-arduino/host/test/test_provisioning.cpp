// When the set-up portal opens, what the BOOT button does, and the portal's form and page.
#include "camrelay/provisioning.h"

#include "fakes.h"
#include "harness.h"

using namespace camrelay;
using namespace fakes;

namespace {

constexpr uint64_t kMs = 1000;

DeviceSettings saved() {
  DeviceSettings s;
  snprintf(s.wifiSsid, sizeof s.wifiSsid, "home");
  snprintf(s.wifiPassword, sizeof s.wifiPassword, "old-password");
  snprintf(s.relayHost, sizeof s.relayHost, "relay.lan");
  snprintf(s.cameraId, sizeof s.cameraId, "garage");
  snprintf(s.token, sizeof s.token, "saved-T0ken");
  return s;
}

PortalForm formFor(const std::string& body) {
  PortalForm f;
  if (!parseUrlEncodedForm(body.data(), body.size(), &f)) throw harness::Failure("form did not parse: " + body);
  return f;
}

std::string applyError(const std::string& body, const DeviceSettings& current = saved()) {
  DeviceSettings out;
  char error[160] = {0};
  if (applyPortalForm(formFor(body), current, &out, error, sizeof error)) return "";
  return error;
}

// Polls the button every 10 ms with `pressed` deciding each moment; returns the first action.
ButtonWatcher::Action runButton(ButtonWatcher& b, uint64_t& now, uint64_t untilMs, bool pressed) {
  for (; now < untilMs * kMs; now += 10 * kMs) {
    const ButtonWatcher::Action a = b.poll(now, pressed);
    if (a != ButtonWatcher::Action::kNone) return a;
  }
  return ButtonWatcher::Action::kNone;
}

}  // namespace

TEST(theFirstBootOpensThePortal) {
  const BootDecision d = decideBootMode(DeviceSettings{}, ButtonWatcher::Action::kNone);
  CHECK(d.mode == BootMode::kPortal);
  CHECK_CONTAINS(d.reason, "first boot");
}

TEST(aSetUpCameraJoinsItsNetworkUnlessBootWasPressed) {
  CHECK(decideBootMode(saved(), ButtonWatcher::Action::kNone).mode == BootMode::kStation);
  CHECK(decideBootMode(saved(), ButtonWatcher::Action::kPortal).mode == BootMode::kPortal);
}

TEST(bootPressedBrieflyInTheBootWindowAsksForThePortal) {
  ButtonWatcher b(3000, 10000);
  uint64_t now = 0;
  CHECK(runButton(b, now, 1000, false) == ButtonWatcher::Action::kNone);
  CHECK(!b.settled(now));
  CHECK(runButton(b, now, 2500, true) == ButtonWatcher::Action::kNone);
  CHECK(!b.settled(now + 10 * kMs * 100));  // still held: no decision yet, even past the window
  CHECK(runButton(b, now, 2600, false) == ButtonWatcher::Action::kPortal);
}

TEST(bootHeldTenSecondsIsAFactoryResetNotAPortal) {
  ButtonWatcher b(3000, 10000);
  uint64_t now = 0;
  runButton(b, now, 500, false);
  CHECK(runButton(b, now, 20000, true) == ButtonWatcher::Action::kFactoryReset);
  CHECK(now >= 10500 * kMs && now < 10600 * kMs);
  CHECK(runButton(b, now, 21000, true) == ButtonWatcher::Action::kNone);   // once per press
  CHECK(runButton(b, now, 22000, false) == ButtonWatcher::Action::kNone);  // releasing it is not a portal request
}

TEST(aShortPressAfterTheBootWindowDoesNothingButALongOneStillResets) {
  ButtonWatcher b(3000, 10000);
  uint64_t now = 0;
  CHECK(runButton(b, now, 5000, false) == ButtonWatcher::Action::kNone);
  CHECK(b.settled(now));
  CHECK(runButton(b, now, 6000, true) == ButtonWatcher::Action::kNone);
  CHECK(runButton(b, now, 7000, false) == ButtonWatcher::Action::kNone);
  CHECK(runButton(b, now, 18000, true) == ButtonWatcher::Action::kFactoryReset);
}

TEST(theSavedNetworkFailingForThreeMinutesOpensThePortal) {
  StationWatch w(3 * 60 * 1000);
  uint64_t now = 0;
  CHECK(!w.shouldOpenPortal(now, false));
  now += 170 * 1000 * kMs;
  CHECK(!w.shouldOpenPortal(now, false));
  CHECK(!w.shouldOpenPortal(now, true));  // joined: the clock starts again
  now += 179 * 1000 * kMs;
  CHECK(!w.shouldOpenPortal(now, false));
  now += 2 * 1000 * kMs;
  CHECK(w.shouldOpenPortal(now, false));
}

TEST(anUntouchedPortalRestartsToRetryTheSavedNetworkButNotOnFirstBoot) {
  PortalWatch withNetwork(true, 600000);
  PortalWatch firstBoot(false, 600000);
  uint64_t now = 1;
  CHECK(!withNetwork.shouldRestart(now));
  CHECK(!firstBoot.shouldRestart(now));
  now += 500 * 1000 * kMs;
  withNetwork.onVisit(now);
  now += 500 * 1000 * kMs;
  CHECK(!withNetwork.shouldRestart(now));  // a visitor keeps it open
  now += 101 * 1000 * kMs;
  CHECK(withNetwork.shouldRestart(now));
  CHECK(!firstBoot.shouldRestart(now));
}

TEST(wifiFirstWithPsramCameraFirstWithout) {
  CHECK(chooseStartOrder(true) == StartOrder::kWifiFirst);
  CHECK(chooseStartOrder(false) == StartOrder::kCameraFirst);
  CHECK_CONTAINS(startOrderReason(StartOrder::kCameraFirst), "no PSRAM");
}

TEST(aCompleteFormIsDecodedAndBecomesTheSettingsToSave) {
  PortalForm f = formFor("ssid=My+Home%21&pass=p%40ss+w0rd&host=192.168.1.10&port=3009&id=front-door"
                         "&token=t%26k&fsize=svga&fp=AB%3ACD%3A" + std::string(60, 'e'));
  DeviceSettings out;
  char error[160] = {0};
  CHECK(applyPortalForm(f, DeviceSettings{}, &out, error, sizeof error));
  CHECK_EQ(std::string(out.wifiSsid), std::string("My Home!"));
  CHECK_EQ(std::string(out.wifiPassword), std::string("p@ss w0rd"));
  CHECK_EQ(std::string(out.relayHost), std::string("192.168.1.10"));
  CHECK_EQ(out.relayPort, static_cast<uint16_t>(3009));
  CHECK_EQ(std::string(out.cameraId), std::string("front-door"));
  CHECK_EQ(std::string(out.token), std::string("t&k"));
  CHECK(out.sensor.frameSize == FrameSize::kSVGA);
  CHECK_EQ(std::string(out.tlsFingerprint), "abcd" + std::string(60, 'e'));
}

TEST(emptyPasswordAndTokenKeepTheSavedOnesAndCheckboxesClearThem) {
  DeviceSettings out;
  char error[160] = {0};
  CHECK(applyPortalForm(formFor("ssid=home&host=relay.lan&id=garage"), saved(), &out, error, sizeof error));
  CHECK_EQ(std::string(out.wifiPassword), std::string("old-password"));
  CHECK_EQ(std::string(out.token), std::string("saved-T0ken"));
  CHECK(applyPortalForm(formFor("ssid=home&open=1&host=relay.lan&id=garage&notoken=1"), saved(), &out, error,
                        sizeof error));
  CHECK_EQ(std::string(out.wifiPassword), std::string(""));
  CHECK_EQ(std::string(out.token), std::string(""));
}

TEST(findByMdnsLeavesTheHostEmpty) {
  DeviceSettings out;
  char error[160] = {0};
  CHECK(applyPortalForm(formFor("ssid=home&mdns=1&id=garage"), saved(), &out, error, sizeof error));
  CHECK(out.findRelayByMdns());
}

TEST(eachBadFieldIsRefusedWithAMessageNamingItAndItsRule) {
  CHECK_CONTAINS(applyError("ssid=&host=relay&id=cam"), "Wi-Fi network: 1 to 32 characters");
  CHECK_CONTAINS(applyError("ssid=" + std::string(33, 'n') + "&host=relay&id=cam"), "1 to 32 characters");
  CHECK_CONTAINS(applyError("ssid=" + std::string(40, 'n') + "&host=relay&id=cam"), "'ssid' is too long");
  CHECK_CONTAINS(applyError("ssid=home&pass=short&host=relay&id=cam"), "8 to 63 characters");
  CHECK_CONTAINS(applyError("ssid=other&host=relay&id=cam"), "enter the password of \"other\"");
  CHECK_CONTAINS(applyError("ssid=home&pass=abc&open=1&host=relay&id=cam"), "leave it empty for an open network");
  CHECK_CONTAINS(applyError("ssid=home&host=&id=cam"), "Relay host");
  CHECK_CONTAINS(applyError("ssid=home&host=bad%2Fhost&id=cam"), "Relay host");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&mdns=1&id=cam"), "not both");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&port=70000&id=cam"), "Relay port: 1 to 65535");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&port=12a&id=cam"), "Relay port");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&id=.."), "Camera id");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&id=a%20b"), "Camera id");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&id=cam&token=" + std::string(256, 't')), "at most 255 bytes");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&id=cam&token=" + std::string(300, 't')), "'token' is too long");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&id=cam&token=%FF"), "UTF-8");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&id=cam&fsize=8K"), "Frame size");
  CHECK_CONTAINS(applyError("ssid=home&host=relay&id=cam&fp=abc"), "TLS fingerprint");
}

TEST(malformedFormBodiesAreRejected) {
  PortalForm f;
  CHECK(!parseUrlEncodedForm("ssid=%4", 7, &f));
  CHECK(!parseUrlEncodedForm("ssid=%zz", 8, &f));
  CHECK(!parseUrlEncodedForm("ssid=%00", 8, &f));
  CHECK(parseUrlEncodedForm("", 0, &f));
  CHECK(parseUrlEncodedForm("&&=x&unknown=1", 14, &f));
}

TEST(thePortalPageEscapesEverySavedValueAndNeverShowsThePasswordOrToken) {
  DeviceSettings s = saved();
  snprintf(s.wifiSsid, sizeof s.wifiSsid, "<script>\"x\"&'y'");
  const char* nets[] = {"net<1>", "caf\xc3\xa9"};
  std::vector<char> page(8192);
  const size_t n = renderPortalPage(s, "Camera id: <bad>", nets, 2, "camrelay-esp32/test", page.data(), page.size());
  CHECK(n > 0);
  const std::string html(page.data(), n);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK_CONTAINS(html, "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;");
  CHECK_CONTAINS(html, "net&lt;1&gt;");
  CHECK_CONTAINS(html, "Camera id: &lt;bad&gt;");
  CHECK(html.find("old-password") == std::string::npos);
  CHECK(html.find("saved-T0ken") == std::string::npos);
  CHECK_CONTAINS(html, "(saved: leave empty to keep it)");
  CHECK_CONTAINS(html, "<option selected>VGA</option>");
  CHECK_EQ(renderPortalPage(s, "", nets, 2, "fw", page.data(), 100), static_cast<size_t>(0));  // too small: refused
}
