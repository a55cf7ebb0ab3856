// Finding the relay by mDNS: which advertised relay is usable, and when to browse.
#include "camrelay/mdns.h"

#include "fakes.h"
#include "harness.h"

using namespace camrelay;
using namespace fakes;

namespace {

MdnsService service(const char* instance, const char* address, uint16_t port, const char* txtPort, const char* tls) {
  MdnsService s;
  snprintf(s.instance, sizeof s.instance, "%s", instance);
  snprintf(s.address, sizeof s.address, "%s", address);
  s.port = port;
  snprintf(s.txtPort, sizeof s.txtPort, "%s", txtPort);
  snprintf(s.txtTls, sizeof s.txtTls, "%s", tls);
  return s;
}

class FakeBrowser : public MdnsBrowser {
 public:
  size_t browse(MdnsService* out, size_t max, uint32_t) override {
    browses++;
    size_t n = 0;
    for (; n < answers.size() && n < max; n++) out[n] = answers[n];
    return n;
  }
  std::vector<MdnsService> answers;
  int browses = 0;
};

}  // namespace

TEST(theTxtPortWinsOverTheSrvPortAndTlsComesFromTxt) {
  const MdnsService s[] = {service("relay", "192.168.1.10", 8080, "3008", "0")};
  RelayChoice c = chooseRelay(s, 1, false);
  CHECK(c.found);
  CHECK_EQ(std::string(c.host), std::string("192.168.1.10"));
  CHECK_EQ(c.port, static_cast<uint16_t>(3008));
  CHECK(!c.tls);
  const MdnsService noTxt[] = {service("relay", "192.168.1.10", 3008, "", "")};
  CHECK_EQ(chooseRelay(noTxt, 1, false).port, static_cast<uint16_t>(3008));
}

TEST(aPinnedCameraRefusesARelayWithoutTlsAndAnUnpinnedOneARelayThatWantsIt) {
  const MdnsService plain[] = {service("relay", "10.0.0.2", 3008, "3008", "0")};
  RelayChoice c = chooseRelay(plain, 1, true);
  CHECK(!c.found);
  CHECK_CONTAINS(c.why, "offers no TLS but a fingerprint is set");
  const MdnsService tls[] = {service("relay", "10.0.0.2", 3008, "3443", "1")};
  c = chooseRelay(tls, 1, false);
  CHECK(!c.found);
  CHECK_CONTAINS(c.why, "wants TLS: set its certificate fingerprint");
  c = chooseRelay(tls, 1, true);
  CHECK(c.found);
  CHECK(c.tls);
  CHECK_EQ(c.port, static_cast<uint16_t>(3443));
}

TEST(unusableAnswersAreSkippedAndOfSeveralRelaysTheFirstByNameIsChosen) {
  const MdnsService s[] = {service("zeta", "10.0.0.9", 3008, "", ""), service("bad", "", 3008, "", ""),
                           service("badport", "10.0.0.3", 3008, "99999", ""),
                           service("alpha", "10.0.0.1", 3008, "3010", "")};
  const RelayChoice c = chooseRelay(s, 4, false);
  CHECK(c.found);
  CHECK_EQ(std::string(c.host), std::string("10.0.0.1"));
  CHECK_EQ(c.port, static_cast<uint16_t>(3010));
  CHECK_EQ(c.candidates, 2u);
  CHECK_CONTAINS(chooseRelay(s + 1, 1, false).why, "no usable address");
  CHECK_CONTAINS(chooseRelay(s + 2, 1, false).why, "bad TXT port");
  CHECK_CONTAINS(chooseRelay(s, 0, false).why, "no relay answered");
}

TEST(theLocatorBrowsesUntilARelayAnswersThenAgainOnlyAfterRepeatedConnectFailures) {
  FakeBrowser browser;
  FixedRandom random(0);
  CaptureLog log;
  RelayLocator locator(browser, random, log, false, 3);
  RelayChoice c;
  uint64_t now = 1000000;
  CHECK(!locator.poll(now, 0, &c));
  CHECK_EQ(browser.browses, 1);
  CHECK(!locator.poll(now + 1000, 0, &c));  // waits before browsing again
  CHECK_EQ(browser.browses, 1);
  CHECK_CONTAINS(log.all(), "no relay answered");
  browser.answers = {service("relay", "10.0.0.5", 3008, "", "")};
  now += 60ull * 1000 * 1000;
  CHECK(locator.poll(now, 0, &c));
  CHECK_EQ(std::string(c.host), std::string("10.0.0.5"));
  CHECK(!locator.poll(now + 20ull * 1000 * 1000, 2, &c));  // two failures: keep the relay
  CHECK_EQ(browser.browses, 2);
  browser.answers = {service("relay", "10.0.0.6", 3008, "", "")};
  CHECK(locator.poll(now + 20ull * 1000 * 1000, 3, &c));  // three: its address may have changed
  CHECK_EQ(std::string(c.host), std::string("10.0.0.6"));
  CHECK_CONTAINS(log.all(), "mdns: found the relay at 10.0.0.6:3008 (plain TCP)");
}
