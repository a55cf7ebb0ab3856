#include "esp_ota.h"

#include <Update.h>
#include <string.h>

#include "esp_ota_ops.h"
#include "esp_timer.h"

// The Arduino core marks a new image valid in initArduino(), before setup(), unless this hook says the sketch
// decides: without it a new image could never be rolled back. This firmware confirms it once the relay answered
// (OtaUpdater::onRelayReached).
extern "C" bool verifyRollbackLater() { return true; }

void EspHttpDownload::setPin(const uint8_t* pin) {
  pinned_ = pin != nullptr;
  if (pinned_) memcpy(pin_, pin, sizeof pin_);
}

bool EspHttpDownload::open(const char* url, int64_t* contentLength) {
  error_[0] = '\0';
  const bool https = strncmp(url, "https://", 8) == 0;
  if (https && !pinned_) {
    snprintf(error_, sizeof error_, "https update URL but no relay certificate fingerprint is configured");
    return false;
  }
  NetworkClient& client = https ? static_cast<NetworkClient&>(secure_) : plain_;
  if (https) secure_.setInsecure();  // the chain is not checked: the fingerprint below is
  http_.setReuse(false);
  http_.setConnectTimeout(5000);
  http_.setTimeout(10000);
  http_.setFollowRedirects(HTTPC_DISABLE_FOLLOW_REDIRECTS);
  if (!http_.begin(client, String(url))) {
    snprintf(error_, sizeof error_, "bad URL");
    return false;
  }
  const int code = http_.GET();
  if (https) {
    uint8_t seen[32];
    if (!secure_.getFingerprintSHA256(seen) || !camrelay::bytesEqual(seen, pin_, sizeof seen)) {
      http_.end();
      snprintf(error_, sizeof error_, "the update server's certificate does not match the pinned fingerprint");
      return false;
    }
  }
  if (code != HTTP_CODE_OK) {
    snprintf(error_, sizeof error_, "HTTP %d %s", code, code < 0 ? HTTPClient::errorToString(code).c_str() : "");
    http_.end();
    return false;
  }
  remaining_ = http_.getSize();
  *contentLength = remaining_;
  stream_ = http_.getStreamPtr();
  return stream_ != nullptr;
}

int EspHttpDownload::read(uint8_t* buf, size_t cap, uint32_t waitMs) {
  if (stream_ == nullptr) return kFailed;
  if (remaining_ == 0) return kEnd;
  const int64_t deadline = esp_timer_get_time() + static_cast<int64_t>(waitMs) * 1000;
  for (;;) {
    const int available = stream_->available();
    if (available > 0) {
      size_t want = static_cast<size_t>(available) < cap ? static_cast<size_t>(available) : cap;
      if (remaining_ > 0 && static_cast<int64_t>(want) > remaining_) want = static_cast<size_t>(remaining_);
      const int n = stream_->read(buf, want);
      if (n > 0 && remaining_ > 0) remaining_ -= n;
      return n > 0 ? n : 0;
    }
    if (!stream_->connected()) {
      if (remaining_ < 0) return kEnd;  // no Content-Length: the body ends with the connection
      snprintf(error_, sizeof error_, "connection closed");
      return kFailed;
    }
    if (esp_timer_get_time() >= deadline) return 0;
    delay(2);
  }
}

void EspHttpDownload::close() {
  http_.end();
  stream_ = nullptr;
}

size_t EspFirmwareSlot::capacity() {
  const esp_partition_t* next = esp_ota_get_next_update_partition(nullptr);
  return next != nullptr ? next->size : 0;
}

bool EspFirmwareSlot::begin(size_t size) { return Update.begin(size, U_FLASH); }

bool EspFirmwareSlot::write(const uint8_t* data, size_t len) {
  return Update.write(const_cast<uint8_t*>(data), len) == len;  // Update.write does not modify the bytes
}

bool EspFirmwareSlot::finish() { return Update.end(false); }

void EspFirmwareSlot::abort() {
  if (Update.isRunning()) Update.abort();
}

const char* EspFirmwareSlot::lastError() { return Update.errorString(); }

void EspSha256::begin() { mbedtls_sha256_starts(&ctx_, 0); }

void EspSha256::update(const uint8_t* data, size_t len) { mbedtls_sha256_update(&ctx_, data, len); }

void EspSha256::finish(uint8_t out[32]) { mbedtls_sha256_finish(&ctx_, out); }

bool EspBootImage::pendingVerify() {
  esp_ota_img_states_t state = ESP_OTA_IMG_UNDEFINED;
  const esp_partition_t* running = esp_ota_get_running_partition();
  return running != nullptr && esp_ota_get_state_partition(running, &state) == ESP_OK &&
         state == ESP_OTA_IMG_PENDING_VERIFY;
}

bool EspBootImage::markValid() { return esp_ota_mark_app_valid_cancel_rollback() == ESP_OK; }

void EspBootImage::rollBack() { esp_ota_mark_app_invalid_rollback_and_reboot(); }
