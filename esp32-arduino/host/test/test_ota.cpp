// The update state machine against a fake HTTP server and a two-slot flash with the bootloader's rollback rules.
#include "fake_ota.h"
#include "fakes.h"
#include "harness.h"
#include "openssl_sha256.h"

using namespace camrelay;
using namespace fakes;

namespace {

// Everything that survives a restart (flash, NVS) lives in the rig; the updater is rebuilt by boot().
struct Rig {
  ManualClock clock;
  FakeHttp http;
  FakeFlash flash;
  OpenSslSha256 sha;
  FakeNvs nvs;
  CaptureLog log;
  std::string runningVersion = "0.1.0";
  std::unique_ptr<OtaUpdater> ota;
  std::vector<std::string> events;
  std::vector<uint8_t> image = firmwareImage(100 * 1024 + 7, 1);
  std::string imageSha = sha256Hex(image);

  Rig() { boot(); }
  void boot() {
    ota.reset(new OtaUpdater(http, flash, sha, flash, nvs, clock, log, runningVersion.c_str()));
    ota->atBoot();
  }
  // The board restarts: the bootloader picks an image; the new image reports its own version.
  void restart(const std::string& versionOfNewImage) {
    const int before = flash.running;
    flash.reboot();
    if (flash.running != before) runningVersion = flash.slots[flash.running].state == FakeFlash::ImageState::kPendingVerify
                                                      ? versionOfNewImage
                                                      : "0.1.0";
    boot();
  }
  const char* offer(const std::string& sha256, int64_t size, const std::string& url = "http://relay:8080/fw/a.bin") {
    return ota->offer(UpdateOffer{url.c_str(), size, sha256.c_str(), "0.2.0"});
  }
  const char* offerImage() {
    http.body = image;
    return offer(imageSha, static_cast<int64_t>(image.size()));
  }
  void drainEvents() {
    char buf[256];
    for (size_t n; (n = ota->nextEvent(buf, sizeof buf)) > 0;) events.emplace_back(buf, n);
  }
  std::string allEvents() {
    drainEvents();
    std::string s;
    for (auto& e : events) s += e + "\n";
    return s;
  }
  void runWhileDownloading(int maxSteps = 100000) {
    for (int i = 0; i < maxSteps && ota->downloading(); i++) clock.advanceMs(ota->step());
    drainEvents();
  }
};

}  // namespace

TEST(aVerifiedImageIsWrittenToTheOtherSlotAndTheCameraAsksToRestartIntoIt) {
  Rig r;
  CHECK(r.offerImage() == nullptr);
  CHECK(r.ota->downloading());
  r.runWhileDownloading();
  CHECK(r.ota->state() == OtaUpdater::State::kRebooting);
  CHECK(r.flash.inactive().bytes == r.image);
  CHECK(r.flash.bootNext == 1);
  CHECK_EQ(r.http.lastUrl, std::string("http://relay:8080/fw/a.bin"));
  const std::string events = r.allEvents();
  CHECK_CONTAINS(events, R"({"event":"ota","state":"downloading","received":)");
  CHECK_CONTAINS(events, R"({"event":"ota","state":"rebooting","version":"0.2.0"})");
  CHECK(r.ota->readyToReboot());  // the event queue is empty
  CHECK_CONTAINS(r.log.all(), "SHA-256 matches");
}

TEST(theNewImageIsConfirmedOnlyWhenItReachesTheRelay) {
  Rig r;
  r.offerImage();
  r.runWhileDownloading();
  r.restart("0.2.0");
  CHECK_EQ(r.flash.running, 1);
  CHECK(r.ota->state() == OtaUpdater::State::kConfirming);
  CHECK(r.flash.pendingVerify());
  r.clock.advanceMs(60000);
  r.ota->step();
  CHECK(r.flash.pendingVerify());  // not yet: no relay
  r.ota->onRelayReached();
  CHECK(!r.flash.pendingVerify());
  CHECK(r.ota->state() == OtaUpdater::State::kIdle);
  CHECK_CONTAINS(r.allEvents(), R"({"event":"ota","state":"confirmed","version":"0.2.0"})");
  r.restart("0.2.0");
  CHECK_EQ(r.flash.running, 1);  // it stays
  CHECK_EQ(r.allEvents().find("rolled-back"), std::string::npos);
}

TEST(aNewImageThatNeverReachesTheRelayIsRolledBackAndTheOldOneSaysSo) {
  Rig r;
  r.offerImage();
  r.runWhileDownloading();
  r.restart("0.2.0");
  CHECK(r.ota->state() == OtaUpdater::State::kConfirming);
  for (int i = 0; i < 400 && r.flash.rollbackRestarts == 0; i++) {
    r.clock.advanceMs(1000);
    r.ota->step();
  }
  CHECK_EQ(r.flash.rollbackRestarts, 1);
  CHECK_CONTAINS(r.log.all(), "was not reached within 300 s");
  r.restart("0.2.0");
  CHECK_EQ(r.flash.running, 0);
  CHECK_EQ(r.runningVersion, std::string("0.1.0"));
  CHECK_CONTAINS(r.allEvents(), R"("state":"rolled-back","version":"0.1.0")");
  CHECK(r.nvs.entries.count("ota.sha") == 0);  // reported once
}

TEST(aNewImageThatCrashesBeforeConfirmingIsRolledBackByTheBootloader) {
  Rig r;
  r.offerImage();
  r.runWhileDownloading();
  r.restart("0.2.0");
  r.restart("0.2.0");  // e.g. a panic or the watchdog, before the relay was reached
  CHECK_EQ(r.flash.running, 0);
  CHECK_CONTAINS(r.allEvents(), "rolled-back");
}

TEST(aHashMismatchAbandonsTheImageAndKeepsTheRunningFirmware) {
  Rig r;
  r.http.body = r.image;
  r.http.body[5000] ^= 0x01;
  CHECK(r.offer(r.imageSha, static_cast<int64_t>(r.image.size())) == nullptr);
  r.runWhileDownloading();
  CHECK(r.ota->state() == OtaUpdater::State::kIdle);
  CHECK_EQ(r.flash.bootNext, 0);
  CHECK(r.flash.aborts >= 1);
  CHECK_CONTAINS(r.allEvents(), R"("state":"failed","error":"SHA-256 mismatch: the image has )");
  r.restart("0.2.0");
  CHECK_EQ(r.flash.running, 0);
  CHECK_EQ(r.allEvents().find("rolled-back"), std::string::npos);
}

TEST(aShortImageIsRefusedWhetherTheBodyEndsOrTheConnectionBreaks) {
  Rig r;
  r.http.body = r.image;
  r.http.contentLength_ = -1;  // no Content-Length: only the count can tell
  r.http.cutAt = 60000;
  r.offer(r.imageSha, static_cast<int64_t>(r.image.size()));
  r.runWhileDownloading();
  CHECK_CONTAINS(r.allEvents(), "short image: the download ended at 60000 of 102407 bytes");
  r.http.breakInsteadOfEnd = true;
  r.offer(r.imageSha, static_cast<int64_t>(r.image.size()));
  r.runWhileDownloading();
  CHECK_CONTAINS(r.allEvents(), "download broke off at 60000 of 102407 bytes: connection reset by peer");
  CHECK_EQ(r.flash.bootNext, 0);
}

TEST(anImageLongerThanOfferedIsRefused) {
  Rig r;
  r.http.body = r.image;
  r.http.contentLength_ = -1;
  r.offer(r.imageSha, 50000);
  r.runWhileDownloading();
  CHECK_CONTAINS(r.allEvents(), "the image is longer than the 50000 bytes offered");
}

TEST(aContentLengthThatDisagreesWithTheOfferEndsTheDownloadBeforeAnyWrite) {
  Rig r;
  r.http.body = r.image;
  r.offer(r.imageSha, static_cast<int64_t>(r.image.size()) - 1);
  r.runWhileDownloading();
  CHECK_CONTAINS(r.allEvents(), "the server sends 102407 bytes, the offer said 102406");
  CHECK(r.flash.inactive().bytes.empty());
}

TEST(powerLossMidDownloadLeavesTheOldFirmwareBootingAndANewOfferStartsOver) {
  Rig r;
  r.http.body = r.image;
  r.http.stallAt = 40000;
  r.offer(r.imageSha, static_cast<int64_t>(r.image.size()));
  for (int i = 0; i < 100 && r.ota->received() < 40000; i++) r.ota->step();
  CHECK_EQ(r.ota->received(), static_cast<uint64_t>(40000));
  r.restart("0.2.0");  // the power goes off mid-download
  CHECK_EQ(r.flash.running, 0);
  CHECK(r.ota->state() == OtaUpdater::State::kIdle);
  CHECK_EQ(r.allEvents(), std::string(""));  // nothing to report: the update never completed
  r.http.stallAt = SIZE_MAX;
  CHECK(r.offerImage() == nullptr);
  r.runWhileDownloading();
  CHECK(r.ota->state() == OtaUpdater::State::kRebooting);
  CHECK(r.flash.inactive().bytes == r.image);
}

TEST(aStalledDownloadFailsAfterTheStallTimeout) {
  Rig r;
  r.http.body = r.image;
  r.http.stallAt = 1000;
  r.offer(r.imageSha, static_cast<int64_t>(r.image.size()));
  r.runWhileDownloading();
  CHECK_CONTAINS(r.allEvents(), "download stalled: no data for 20 s at 1000 of 102407 bytes");
}

TEST(anHttpErrorOrAFlashErrorIsReportedWithItsCause) {
  Rig r;
  r.http.openError = "HTTP 404";
  r.offerImage();
  r.runWhileDownloading();
  CHECK_CONTAINS(r.allEvents(), "download failed: HTTP 404");
  r.http.openError.clear();
  r.image[0] = 0x00;  // not an ESP32 app image
  r.imageSha = sha256Hex(r.image);
  r.offerImage();
  r.runWhileDownloading();
  CHECK_CONTAINS(r.allEvents(), "writing the update partition failed at 0 bytes: Magic byte is wrong");
}

TEST(badOffersAreRefusedWithASpecificReason) {
  Rig r;
  const std::string sha(64, 'a');
  CHECK_CONTAINS(r.offer(sha, 1000, "ftp://relay/fw.bin"), "ota url must be http://");
  CHECK_CONTAINS(r.offer(sha, 1000, "http:///fw.bin"), "ota url");
  CHECK_CONTAINS(r.offer(sha, 1000, "http://relay/a b.bin"), "ota url");
  CHECK_CONTAINS(r.offer("abc", 1000), "sha256 must be 64 hex digits");
  CHECK_CONTAINS(r.offer(std::string(63, 'a') + "g", 1000), "sha256 must be 64 hex digits");
  CHECK_CONTAINS(r.offer(sha, 0), "does not fit the update partition");
  CHECK_CONTAINS(r.offer(sha, 5 * 1024 * 1024), "does not fit the update partition");
  r.flash.capacity_ = 0;
  CHECK_CONTAINS(r.offer(sha, 1000), "partition scheme without OTA slots");
  r.flash.capacity_ = 1900 * 1024;
  CHECK(r.offer(std::string(64, 'A'), 1000) == nullptr);  // upper-case hex is fine
  CHECK_CONTAINS(r.offer(sha, 1000), "already downloading");
}

TEST(progressEventsAreCoalescedWhileResultsAreKept) {
  Rig r;
  r.offerImage();
  r.runWhileDownloading();  // nobody took events while downloading: the progress ones merged into one
  int progress = 0;
  for (auto& e : r.events) progress += e.find("downloading") != std::string::npos;
  CHECK_EQ(progress, 1);
  CHECK_CONTAINS(r.events.back(), "rebooting");
}
