#include "esp_link.h"

#include <errno.h>
#include <string.h>

#include "esp_timer.h"
#include "lwip/sockets.h"

namespace {
// TCP keepalive: a relay that vanished without a FIN (power cut, NAT timeout) is noticed within
// idle + interval * count = 10 + 5 * 3 = 25 s even while the camera is idle and not sending.
constexpr int kKeepIdleS = 10;
constexpr int kKeepIntervalS = 5;
constexpr int kKeepCount = 3;
}  // namespace

bool EspLink::networkReady() { return WiFi.status() == WL_CONNECTED; }

void EspLink::setError(const char* what, int err) {
  snprintf(error_, sizeof error_, "%s (errno %d %s)", what, err, strerror(err));
}

bool EspLink::connect(const char* host, uint16_t port, uint32_t timeoutMs) {
  client_.stop();
  error_[0] = '\0';
  if (!client_.connect(host, port, static_cast<int32_t>(timeoutMs))) {
    snprintf(error_, sizeof error_, "no TCP connection (relay down, wrong host/port, or blocked)");
    return false;
  }
  client_.setNoDelay(true);  // a frame's last segment must not wait for an ACK (Nagle)
  // Keepalive is a second line of defence (PING/PONG is the first), so a stack without the tuning options
  // still gets a working connection.
  const int fd = client_.fd();
  const int on = 1, idle = kKeepIdleS, interval = kKeepIntervalS, count = kKeepCount;
  if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) == 0) {
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
  }
  return true;
}

int EspLink::write(const uint8_t* data, size_t len, uint32_t waitMs) {
  const int fd = client_.fd();
  if (fd < 0) {
    snprintf(error_, sizeof error_, "not connected");
    return -1;
  }
  fd_set writable;
  FD_ZERO(&writable);
  FD_SET(fd, &writable);
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(waitMs / 1000);
  tv.tv_usec = static_cast<suseconds_t>((waitMs % 1000) * 1000);
  const int ready = select(fd + 1, nullptr, &writable, nullptr, &tv);
  if (ready < 0) {
    setError("select failed", errno);
    return -1;
  }
  if (ready == 0) return 0;  // no room in the send buffer yet
  const ssize_t n = send(fd, data, len, MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    setError("send failed", errno);
    return -1;
  }
  return static_cast<int>(n);
}

int EspLink::read(uint8_t* buf, size_t cap) {
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

void EspLink::close() { client_.stop(); }

void EspLink::closeGracefully(uint32_t lingerMs) {
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
