#include "esp_link.h"

#include <errno.h>
#include <string.h>

#include "esp_timer.h"
#include "lwip/sockets.h"
#include "src/camrelay/settings.h"

namespace {
// TCP keepalive: a relay that vanished without a FIN (power cut, NAT timeout) is noticed within
// idle + interval * count = 10 + 5 * 3 = 25 s even while the camera is idle and not sending.
constexpr int kKeepIdleS = 10;
constexpr int kKeepIntervalS = 5;
constexpr int kKeepCount = 3;
constexpr size_t kTlsChunk = 1024;  // one TLS record at a time, so a write never waits on more than that
}  // namespace

void EspLink::usePinnedTls(const uint8_t* sha256) {
  tls_ = sha256 != nullptr;
  if (tls_) memcpy(pin_, sha256, sizeof pin_);
}

bool EspLink::networkReady() { return WiFi.status() == WL_CONNECTED; }

void EspLink::setError(const char* what, int err) {
  snprintf(error_, sizeof error_, "%s (errno %d %s)", what, err, strerror(err));
}

void EspLink::tuneSocket(int fd) {
  // Keepalive is a second line of defence (PING/PONG is the first), so a stack without the tuning options
  // still gets a working connection.
  const int on = 1, idle = kKeepIdleS, interval = kKeepIntervalS, count = kKeepCount;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // a frame's last segment must not wait for an ACK
  if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) == 0) {
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
  }
}

bool EspLink::connect(const char* host, uint16_t port, uint32_t timeoutMs) {
  close();
  error_[0] = '\0';
  if (tls_) return connectTls(host, port, timeoutMs);
  if (!client_.connect(host, port, static_cast<int32_t>(timeoutMs))) {
    snprintf(error_, sizeof error_, "no TCP connection (relay down, wrong host/port, or blocked)");
    return false;
  }
  tuneSocket(client_.fd());
  return true;
}

bool EspLink::connectTls(const char* host, uint16_t port, uint32_t timeoutMs) {
  secure_.setInsecure();  // no CA chain on a LAN relay's self-signed certificate: the fingerprint is checked instead
  secure_.setHandshakeTimeout(timeoutMs / 1000 + 1);
  if (!secure_.connect(host, port, static_cast<int32_t>(timeoutMs))) {
    char why[64] = {0};
    secure_.lastError(why, sizeof why);
    snprintf(error_, sizeof error_, "no TLS connection%s%s", why[0] ? ": " : "", why);
    return false;
  }
  uint8_t seen[32];
  if (!secure_.getFingerprintSHA256(seen) || !camrelay::bytesEqual(seen, pin_, sizeof seen)) {
    secure_.stop();
    snprintf(error_, sizeof error_, "the relay's certificate does not match the pinned SHA-256 fingerprint");
    return false;
  }
  tuneSocket(secure_.fd());
  return true;
}

bool EspLink::waitWritable(int fd, uint32_t waitMs, int* ready) {
  fd_set writable;
  FD_ZERO(&writable);
  FD_SET(fd, &writable);
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(waitMs / 1000);
  tv.tv_usec = static_cast<suseconds_t>((waitMs % 1000) * 1000);
  *ready = select(fd + 1, nullptr, &writable, nullptr, &tv);
  if (*ready < 0) {
    setError("select failed", errno);
    return false;
  }
  return true;
}

int EspLink::write(const uint8_t* data, size_t len, uint32_t waitMs) {
  const int fd = tls_ ? secure_.fd() : client_.fd();
  if (fd < 0) {
    snprintf(error_, sizeof error_, "not connected");
    return -1;
  }
  int ready = 0;
  if (!waitWritable(fd, waitMs, &ready)) return -1;
  if (ready == 0) return 0;  // no room in the send buffer yet
  if (tls_) {
    const size_t n = secure_.write(data, len < kTlsChunk ? len : kTlsChunk);
    if (n == 0 && !secure_.connected()) {
      snprintf(error_, sizeof error_, "TLS write failed (connection lost)");
      return -1;
    }
    return static_cast<int>(n);
  }
  const ssize_t n = send(fd, data, len, MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    setError("send failed", errno);
    return -1;
  }
  return static_cast<int>(n);
}

int EspLink::read(uint8_t* buf, size_t cap) {
  if (tls_) {
    const int available = secure_.available();
    if (available > 0) {
      const int n = secure_.read(buf, static_cast<size_t>(available) < cap ? static_cast<size_t>(available) : cap);
      return n > 0 ? n : 0;
    }
    if (!secure_.connected()) {
      snprintf(error_, sizeof error_, "end of stream");
      return -1;
    }
    return 0;
  }
  const int fd = client_.fd();
  if (fd < 0) {
    snprintf(error_, sizeof error_, "not connected");
    return -1;
  }
  const ssize_t n = recv(fd, buf, cap, MSG_DONTWAIT);
  if (n > 0) return static_cast<int>(n);
  if (n == 0) {
    snprintf(error_, sizeof error_, "end of stream");
    return -1;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
  setError("recv failed", errno);
  return -1;
}

void EspLink::close() {
  client_.stop();
  secure_.stop();
}

void EspLink::closeGracefully(uint32_t lingerMs) {
  if (tls_) {  // a half-close under TLS would cut the record layer: stop() sends close_notify and closes
    secure_.stop();
    return;
  }
  const int fd = client_.fd();
  if (fd >= 0 && shutdown(fd, SHUT_WR) == 0) {
    const int64_t deadline = esp_timer_get_time() + static_cast<int64_t>(lingerMs) * 1000;
    uint8_t discard[128];
    for (;;) {
      const int64_t left = deadline - esp_timer_get_time();
      if (left <= 0) break;
      fd_set readable;
      FD_ZERO(&readable);
      FD_SET(fd, &readable);
      struct timeval tv;
      tv.tv_sec = static_cast<time_t>(left / 1000000);
      tv.tv_usec = static_cast<suseconds_t>(left % 1000000);
      if (select(fd + 1, &readable, nullptr, nullptr, &tv) <= 0) break;
      if (recv(fd, discard, sizeof discard, MSG_DONTWAIT) <= 0) break;  // the peer closed too (or an error)
    }
  }
  client_.stop();
}
