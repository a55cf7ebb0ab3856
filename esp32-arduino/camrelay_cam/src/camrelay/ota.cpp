#include "ota.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace camrelay {

namespace {

constexpr uint64_t kUs = 1000;
// NVS keys of the update in flight across its reboot.
constexpr char kKeySha[] = "ota.sha";
constexpr char kKeyVersion[] = "ota.to";

bool isHex64(const char* s) {
  if (strnlen(s, 65) != 64) return false;
  for (size_t i = 0; i < 64; i++) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

void toHex(const uint8_t* bytes, size_t n, char* out) {
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  out[2 * n] = '\0';
}

void lower(char* s) {
  for (; *s; s++) {
    if (*s >= 'A' && *s <= 'F') *s = static_cast<char>(*s - 'A' + 'a');
  }
}

// "http://host[:port]/..." or "https://...": a scheme we speak and a non-empty host.
bool isDownloadUrl(const char* url) {
  const char* rest = nullptr;
  if (strncmp(url, "http://", 7) == 0) rest = url + 7;
  else if (strncmp(url, "https://", 8) == 0) rest = url + 8;
  if (rest == nullptr || *rest == '\0' || *rest == '/' || *rest == ':') return false;
  for (const char* p = url; *p; p++) {
    if (static_cast<unsigned char>(*p) <= 0x20 || static_cast<unsigned char>(*p) >= 0x7F) return false;
  }
  return true;
}

}  // namespace

OtaUpdater::OtaUpdater(HttpDownload& http, FirmwareSlot& slot, Sha256& sha, BootImage& boot, KeyValueStore& store,
                       Clock& clock, Log& log, const char* runningVersion, const OtaConfig& config)
    : http_(http),
      slot_(slot),
      sha_(sha),
      boot_(boot),
      store_(store),
      clock_(clock),
      log_(log),
      running_(runningVersion),
      config_(config) {}

void OtaUpdater::atBoot() {
  char sha[72] = {0};
  const bool recorded = store_.getString(kKeySha, sha, sizeof sha) == KeyValueStore::Read::kOk;
  if (boot_.pendingVerify()) {
    state_ = State::kConfirming;
    stateSinceUs_ = clock_.nowMicros();
    log_.line("ota: first boot of new firmware %s: it is confirmed once the relay is reached (within %lu s), "
              "else the previous firmware comes back", running_,
              static_cast<unsigned long>(config_.confirmTimeoutMs / 1000));
    return;
  }
  if (recorded) {
    char version[32] = {0};
    store_.getString(kKeyVersion, version, sizeof version);
    log_.line("ota: the update to %s did not stay (rolled back, or it never completed): running %s",
              version[0] ? version : "(unknown)", running_);
    JsonWriter w(scratch_, sizeof scratch_);
    w.key("event").str("ota").key("state").str("rolled-back").key("version").str(running_);
    w.key("error").str("the new firmware did not reach the relay or did not start; the previous one is running");
    queue(w, false);
    forgetPending();
  }
}

const char* OtaUpdater::offer(const UpdateOffer& o) {
  static char why[96];
  switch (state_) {
    case State::kIdle: break;
    case State::kDownloading:
      snprintf(why, sizeof why, "an update is already downloading (%llu of %llu bytes)",
               static_cast<unsigned long long>(received_), static_cast<unsigned long long>(size_));
      return why;
    case State::kRebooting: return "an update is complete and the camera is restarting into it";
    case State::kConfirming: return "the running firmware is new and not confirmed yet: try again in a minute";
  }
  if (!isDownloadUrl(o.url)) return "ota url must be http://host[:port]/path or https://...";
  if (!isHex64(o.sha256)) return "ota sha256 must be 64 hex digits";
  const size_t capacity = slot_.capacity();
  if (capacity == 0) {
    return "this camera was flashed with a partition scheme without OTA slots: flash it once by USB with one "
           "that has them (README: Updates)";
  }
  if (o.size <= 0 || static_cast<uint64_t>(o.size) > capacity) {
    snprintf(why, sizeof why, "ota size %lld does not fit the update partition (1..%lu bytes)",
             static_cast<long long>(o.size), static_cast<unsigned long>(capacity));
    return why;
  }
  snprintf(url_, sizeof url_, "%s", o.url);
  snprintf(expectedSha_, sizeof expectedSha_, "%s", o.sha256);
  lower(expectedSha_);
  snprintf(version_, sizeof version_, "%s", o.version ? o.version : "");
  size_ = static_cast<uint64_t>(o.size);
  received_ = 0;
  opened_ = false;
  nextProgressPercent_ = 10;
  state_ = State::kDownloading;
  stateSinceUs_ = lastDataUs_ = clock_.nowMicros();
  log_.line("ota: downloading firmware %s (%llu bytes, sha256 %.16s...) from %s", version_[0] ? version_ : "?",
            static_cast<unsigned long long>(size_), expectedSha_, url_);
  return nullptr;
}

void OtaUpdater::onRelayReached() {
  if (state_ != State::kConfirming) return;
  if (!boot_.markValid()) {
    log_.line("ota: could not mark the new firmware valid; it will be rolled back at the next restart");
    return;
  }
  state_ = State::kIdle;
  forgetPending();
  log_.line("ota: firmware %s confirmed (the relay was reached)", running_);
  JsonWriter w(scratch_, sizeof scratch_);
  w.key("event").str("ota").key("state").str("confirmed").key("version").str(running_);
  queue(w, false);
}

void OtaUpdater::startDownload() {
  int64_t length = -1;
  if (!http_.open(url_, &length)) {
    fail("download failed: %s", http_.lastError());
    return;
  }
  opened_ = true;
  if (length >= 0 && static_cast<uint64_t>(length) != size_) {
    fail("the server sends %lld bytes, the offer said %llu", static_cast<long long>(length),
         static_cast<unsigned long long>(size_));
    return;
  }
  if (!slot_.begin(static_cast<size_t>(size_))) {
    fail("cannot start writing the update partition: %s", slot_.lastError());
    return;
  }
  sha_.begin();
  lastDataUs_ = clock_.nowMicros();
}

uint32_t OtaUpdater::step() {
  const uint64_t now = clock_.nowMicros();
  if (state_ == State::kConfirming) {
    if (now - stateSinceUs_ >= config_.confirmTimeoutMs * kUs) {
      log_.line("ota: the relay was not reached within %lu s of the first boot of %s: rolling back",
                static_cast<unsigned long>(config_.confirmTimeoutMs / 1000), running_);
      state_ = State::kIdle;
      boot_.rollBack();
    }
    return 1000;
  }
  if (state_ != State::kDownloading) return 1000;
  if (!opened_) {
    startDownload();
    return 0;
  }
  size_t stepBytes = 0;
  uint32_t waitMs = 20;
  while (state_ == State::kDownloading && stepBytes < config_.maxBytesPerStep) {
    const int n = http_.read(buf_, sizeof buf_, waitMs);
    waitMs = 0;
    if (n == 0) {
      if (clock_.nowMicros() - lastDataUs_ >= config_.stallTimeoutMs * kUs) {
        fail("download stalled: no data for %lu s at %llu of %llu bytes",
             static_cast<unsigned long>(config_.stallTimeoutMs / 1000), static_cast<unsigned long long>(received_),
             static_cast<unsigned long long>(size_));
      }
      return 10;
    }
    if (n == HttpDownload::kFailed) {
      fail("download broke off at %llu of %llu bytes: %s", static_cast<unsigned long long>(received_),
           static_cast<unsigned long long>(size_), http_.lastError());
      return 0;
    }
    if (n == HttpDownload::kEnd) {
      completeDownload();
      return 0;
    }
    if (received_ + static_cast<uint64_t>(n) > size_) {
      fail("the image is longer than the %llu bytes offered", static_cast<unsigned long long>(size_));
      return 0;
    }
    if (!slot_.write(buf_, static_cast<size_t>(n))) {
      fail("writing the update partition failed at %llu bytes: %s", static_cast<unsigned long long>(received_),
           slot_.lastError());
      return 0;
    }
    sha_.update(buf_, static_cast<size_t>(n));
    received_ += static_cast<uint64_t>(n);
    stepBytes += static_cast<size_t>(n);
    lastDataUs_ = clock_.nowMicros();
    const uint32_t percent = static_cast<uint32_t>(received_ * 100 / size_);
    if (percent >= nextProgressPercent_ && received_ < size_) {
      nextProgressPercent_ = percent / 10 * 10 + 10;
      JsonWriter w(scratch_, sizeof scratch_);
      w.key("event").str("ota").key("state").str("downloading").key("received").num(static_cast<int64_t>(received_));
      w.key("size").num(static_cast<int64_t>(size_));
      queue(w, true);
    }
  }
  return 0;
}

void OtaUpdater::completeDownload() {
  http_.close();
  opened_ = false;
  if (received_ < size_) {
    fail("short image: the download ended at %llu of %llu bytes", static_cast<unsigned long long>(received_),
         static_cast<unsigned long long>(size_));
    return;
  }
  uint8_t digest[32];
  sha_.finish(digest);
  char got[65];
  toHex(digest, sizeof digest, got);
  if (strcmp(got, expectedSha_) != 0) {
    fail("SHA-256 mismatch: the image has %.16s..., the offer said %.16s...", got, expectedSha_);
    return;
  }
  // Recorded before the switch, so that the previous firmware can tell after a rollback that it is one.
  store_.putString(kKeySha, expectedSha_);
  store_.putString(kKeyVersion, version_);
  if (!slot_.finish()) {
    forgetPending();
    fail("the update partition refused the image: %s", slot_.lastError());
    return;
  }
  state_ = State::kRebooting;
  stateSinceUs_ = clock_.nowMicros();
  log_.line("ota: firmware %s verified (%llu bytes, SHA-256 matches): restarting into it", version_[0] ? version_ : "?",
            static_cast<unsigned long long>(size_));
  JsonWriter w(scratch_, sizeof scratch_);
  w.key("event").str("ota").key("state").str("rebooting").key("version").str(version_);
  queue(w, false);
}

bool OtaUpdater::readyToReboot() {
  if (state_ != State::kRebooting) return false;
  return eventCount_ == 0 || clock_.nowMicros() - stateSinceUs_ >= config_.rebootDelayMs * kUs;
}

void OtaUpdater::fail(const char* fmt, ...) {
  char why[160];
  va_list args;
  va_start(args, fmt);
  vsnprintf(why, sizeof why, fmt, args);
  va_end(args);
  if (opened_) http_.close();
  opened_ = false;
  slot_.abort();
  state_ = State::kIdle;
  log_.line("ota: update %s FAILED: %s (the running firmware stays)", version_[0] ? version_ : "?", why);
  JsonWriter w(scratch_, sizeof scratch_);
  w.key("event").str("ota").key("state").str("failed").key("error").str(why);
  queue(w, false);
}

void OtaUpdater::queue(JsonWriter& w, bool progress) {
  const size_t n = w.finish();
  if (n == 0) return;
  // A progress event replaces one still waiting; a result never displaces another result (the oldest progress
  // event goes first, else the oldest event).
  size_t slot = kEvents;
  if (eventCount_ > 0) {
    const size_t last = (eventHead_ + eventCount_ - 1) % kEvents;
    if (progress && eventIsProgress_[last]) slot = last;
  }
  if (slot == kEvents) {
    if (eventCount_ == kEvents) {
      eventHead_ = (eventHead_ + 1) % kEvents;
      eventCount_--;
    }
    slot = (eventHead_ + eventCount_) % kEvents;
    eventCount_++;
  }
  memcpy(events_[slot], scratch_, n);
  eventLen_[slot] = n;
  eventIsProgress_[slot] = progress;
}

size_t OtaUpdater::nextEvent(char* out, size_t cap) {
  if (eventCount_ == 0 || cap < eventLen_[eventHead_]) return 0;
  const size_t n = eventLen_[eventHead_];
  memcpy(out, events_[eventHead_], n);
  eventHead_ = (eventHead_ + 1) % kEvents;
  eventCount_--;
  return n;
}

void OtaUpdater::forgetPending() {
  store_.remove(kKeySha);
  store_.remove(kKeyVersion);
}

}  // namespace camrelay
