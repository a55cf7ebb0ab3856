// A host "camera" built from the firmware's own client code (src/camrelay: protocol, state machine, commands)
// over POSIX sockets. It streams the JPEG files of a folder, in name order and in a loop, to a real relay; it
// answers CONTROL commands like the board does (sensor settings are recorded, not applied to any hardware).
//
//   camrelay_host_cam [--host 127.0.0.1 --port 3008] --id cam1 [--token T] --dir frames/ [--fps 10] [--on-demand]
//                     [--max-connect-attempts N] [--exit-after-frames N]
//                     [--state-dir DIR] [--firmware-version V] [--tls-fingerprint SHA256]
//
// Without --host the relay is found by mDNS (_camrelay._tcp, host_mdns.h) and the firmware's RelayLocator picks it,
// as on a board whose relay host was left empty in the set-up portal; --port is then ignored.
//
// --tls-fingerprint: TLS to the relay (OpenSSL), refused unless the relay's certificate has this SHA-256 (64 hex
// digits, colons allowed), as the board's pinned WiFiClientSecure.
//
// With --state-dir it runs the firmware's CameraApp like the board: CONTROL setting changes are saved (DIR/nvs.tsv)
// and restored at the next start, and {"cmd":"ota",...} offers are downloaded (plain http:// or https:// URLs,
// libcurl), checked (size, SHA-256) and "flashed" to DIR/next.bin (host_ota.h explains the files). Without it,
// offers are refused as on a board without OTA slots.
//
// Logs one line per event to stdout (the firmware's log lines, "host-cam: ..." for its own). Exit codes: 0 after
// SIGINT/SIGTERM or --exit-after-frames, 2 when --max-connect-attempts ran out, 3 on a "restart" command or a
// factory reset, 4 when an update is ready ("restart into the new image": start again with the same --state-dir
// and the new --firmware-version), 5 when the new image rolled itself back (the relay was not reached in time),
// 64 on bad arguments.
#include <dirent.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "camrelay/camera_app.h"
#include "camrelay/client.h"
#include "camrelay/version.h"
#include "host_mdns.h"
#include "host_ota.h"
#include "openssl_sha256.h"

using namespace camrelay;

namespace {

volatile sig_atomic_t stopRequested = 0;
void onSignal(int) { stopRequested = 1; }

class StdoutLog : public Log {
 public:
  void line(const char* fmt, ...) override CAMRELAY_PRINTF(2, 3) {
    char buf[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    std::printf("%s\n", buf);
    std::fflush(stdout);
  }
};

class MonotonicClock : public Clock {
 public:
  uint64_t nowMicros() override {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000ull + static_cast<uint64_t>(ts.tv_nsec) / 1000;
  }
};

class HostRandom : public Random {
 public:
  uint32_t next() override { return static_cast<uint32_t>(engine_()); }

 private:
  std::mt19937 engine_{std::random_device{}()};
};

// The same contract as the firmware's EspLink: blocking connect with a timeout, then non-blocking I/O; with a pin,
// TLS (OpenSSL) whose peer certificate's SHA-256 must equal the pin before anything is sent, as on the board.
class PosixLink : public Link {
 public:
  explicit PosixLink(const uint8_t* pin = nullptr) {
    if (pin != nullptr) {
      std::memcpy(pin_, pin, sizeof pin_);
      ctx_ = SSL_CTX_new(TLS_client_method());
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);  // no chain check: the pin is the trust
    }
  }
  ~PosixLink() {
    close();
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }
  PosixLink(const PosixLink&) = delete;
  PosixLink& operator=(const PosixLink&) = delete;
  bool networkReady() override { return true; }

  bool connect(const char* host, uint16_t port, uint32_t timeoutMs) override {
    close();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const std::string service = std::to_string(port);
    const int gai = getaddrinfo(host, service.c_str(), &hints, &res);
    if (gai != 0) {
      snprintf(error_, sizeof error_, "cannot resolve %s: %s", host, gai_strerror(gai));
      return false;
    }
    for (addrinfo* a = res; a != nullptr && fd_ < 0; a = a->ai_next) {
      const int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || (errno == EINPROGRESS && waitConnected(fd, timeoutMs))) {
        fd_ = fd;
      } else {
        setError("connect", errno);
        ::close(fd);
      }
    }
    freeaddrinfo(res);
    if (fd_ < 0) return false;
    if (ctx_ != nullptr && !handshake(timeoutMs)) {
      close();
      return false;
    }
    const int on = 1, idle = 10, interval = 5, count = 3;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    setsockopt(fd_, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    setsockopt(fd_, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd_, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd_, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    return true;
  }

  int write(const uint8_t* data, size_t len, uint32_t waitMs) override {
    if (fd_ < 0) return -1;
    pollfd p{fd_, POLLOUT, 0};
    const int ready = poll(&p, 1, static_cast<int>(waitMs));
    if (ready < 0) return errno == EINTR ? 0 : (setError("poll", errno), -1);
    if (ready == 0) return 0;
    if (ssl_ != nullptr) {
      const int n = SSL_write(ssl_, data, static_cast<int>(std::min<size_t>(len, 16384)));
      if (n > 0) return n;
      const int e = SSL_get_error(ssl_, n);
      if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) return 0;
      snprintf(error_, sizeof error_, "TLS write failed (%d)", e);
      return -1;
    }
    const ssize_t n = send(fd_, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
      setError("send", errno);
      return -1;
    }
    return static_cast<int>(n);
  }

  int read(uint8_t* buf, size_t cap) override {
    if (fd_ < 0) return -1;
    if (ssl_ != nullptr) {
      const int n = SSL_read(ssl_, buf, static_cast<int>(cap));
      if (n > 0) return n;
      const int e = SSL_get_error(ssl_, n);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return 0;
      snprintf(error_, sizeof error_, e == SSL_ERROR_ZERO_RETURN ? "end of stream" : "TLS read failed");
      return -1;
    }
    const ssize_t n = recv(fd_, buf, cap, MSG_DONTWAIT);
    if (n > 0) return static_cast<int>(n);
    if (n == 0) {
      snprintf(error_, sizeof error_, "end of stream");
      return -1;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
    setError("recv", errno);
    return -1;
  }

  void close() override {
    if (ssl_ != nullptr) SSL_free(ssl_);
    ssl_ = nullptr;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void closeGracefully(uint32_t lingerMs) override {
    if (ssl_ != nullptr) {  // close_notify, then close: a half-close under TLS would cut the record layer
      SSL_shutdown(ssl_);
      close();
      return;
    }
    if (fd_ >= 0 && shutdown(fd_, SHUT_WR) == 0) {
      timespec start{};
      clock_gettime(CLOCK_MONOTONIC, &start);
      uint8_t discard[512];
      for (;;) {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        const long elapsedMs = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsedMs >= static_cast<long>(lingerMs)) break;
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(lingerMs - elapsedMs)) <= 0) break;
        if (recv(fd_, discard, sizeof discard, MSG_DONTWAIT) <= 0) break;  // the peer closed too
      }
    }
    close();
  }
  const char* lastError() override { return error_; }

 private:
  bool waitConnected(int fd, uint32_t timeoutMs) {
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, static_cast<int>(timeoutMs)) != 1) {
      snprintf(error_, sizeof error_, "connect timed out after %u ms", timeoutMs);
      errno = ETIMEDOUT;
      return false;
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    errno = err;
    return err == 0;
  }
  void setError(const char* what, int err) { snprintf(error_, sizeof error_, "%s: %s", what, strerror(err)); }

  bool handshake(uint32_t timeoutMs) {
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    timespec start{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
      const int r = SSL_connect(ssl_);
      if (r == 1) break;
      const int e = SSL_get_error(ssl_, r);
      timespec now{};
      clock_gettime(CLOCK_MONOTONIC, &now);
      const long left = static_cast<long>(timeoutMs) - ((now.tv_sec - start.tv_sec) * 1000 +
                                                        (now.tv_nsec - start.tv_nsec) / 1000000);
      if ((e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) || left <= 0) {
        snprintf(error_, sizeof error_, "no TLS connection (%s)",
                 left <= 0 ? "handshake timed out" : ERR_reason_error_string(ERR_peek_last_error()));
        ERR_clear_error();
        return false;
      }
      pollfd p{fd_, static_cast<short>(e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
      poll(&p, 1, static_cast<int>(left));
    }
    X509* cert = SSL_get1_peer_certificate(ssl_);
    unsigned char seen[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    const bool ok = cert != nullptr && X509_digest(cert, EVP_sha256(), seen, &n) == 1 && n == 32 &&
                    bytesEqual(seen, pin_, 32);
    X509_free(cert);
    if (!ok) snprintf(error_, sizeof error_, "relay certificate does not match the pinned SHA-256");
    return ok;
  }

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  uint8_t pin_[32] = {0};
  int fd_ = -1;
  char error_[128] = {0};
};

// The JPEG files of a folder, loaded once, handed out in name order, round and round.
class FolderFrames : public FrameSource {
 public:
  FolderFrames(std::vector<std::vector<uint8_t>> jpegs, Clock& clock) : jpegs_(std::move(jpegs)), clock_(clock) {}
  bool acquire(Frame* f) override {
    const std::vector<uint8_t>& j = jpegs_[next_++ % jpegs_.size()];
    *f = Frame{j.data(), j.size(), 0, 0, clock_.nowMicros()};
    return true;
  }
  void release() override {}
  bool reinit() override { return true; }

 private:
  std::vector<std::vector<uint8_t>> jpegs_;
  Clock& clock_;
  size_t next_ = 0;
};

// Records settings instead of driving a sensor; prints each so tests can see them applied.
class HostCamera : public CameraControl {
 public:
  const char* applyFrameSize(FrameSize s) override { return note("framesize", frameSizeName(s)); }
  const char* applyQuality(int q) override { return note("quality", std::to_string(q)); }
  const char* applyBrightness(int v) override { return note("brightness", std::to_string(v)); }
  const char* applyContrast(int v) override { return note("contrast", std::to_string(v)); }
  const char* applyVflip(bool on) override { return note("vflip", on ? "true" : "false"); }
  const char* applyHmirror(bool on) override { return note("hmirror", on ? "true" : "false"); }
  const char* applyLed(int duty) override { return note("led", std::to_string(duty)); }
  FrameSize maxFrameSize() override { return FrameSize::kUXGA; }

 private:
  const char* note(const char* what, const std::string& value) {
    std::printf("host-cam: sensor %s=%s\n", what, value.c_str());
    std::fflush(stdout);
    return nullptr;
  }
};

class HostDevice : public DeviceInfo {
 public:
  explicit HostDevice(size_t files) : files_(files) {}
  void writeStatus(JsonWriter& json) override {
    json.key("board").str("host").key("files").num(static_cast<int64_t>(files_));
  }

 private:
  size_t files_;
};

class HostSystem : public System {
 public:
  void restart(const char* reason) override {
    std::printf("host-cam: restart requested (%s)\n", reason);
    std::fflush(stdout);
    restartRequested = true;
    lastReason = reason;
  }
  bool restartRequested = false;
  std::string lastReason;
};

bool endsWith(const std::string& s, const char* suffix) {
  const size_t n = strlen(suffix);
  if (s.size() < n) return false;
  std::string tail = s.substr(s.size() - n);
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
  return tail == suffix;
}

std::vector<std::vector<uint8_t>> loadJpegs(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (endsWith(name, ".jpg") || endsWith(name, ".jpeg")) names.push_back(name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::vector<uint8_t>> jpegs;
  for (const std::string& name : names) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    jpegs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return jpegs;
}

int usage(const char* why) {
  std::fprintf(stderr, "camrelay_host_cam: %s\nusage: camrelay_host_cam [--host H --port P] --id ID [--token T] --dir DIR "
                       "[--fps N] [--on-demand] [--max-connect-attempts N] [--exit-after-frames N] [--state-dir DIR] "
                       "[--firmware-version V] [--tls-fingerprint SHA256]\n", why);
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host, id, token, dir, stateDir, fingerprint, version = CAMRELAY_FIRMWARE_VERSION;
  long port = 0, fps = 0, maxAttempts = 0, exitAfterFrames = 0;
  bool onDemand = false;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--on-demand") { onDemand = true; continue; }
    if ((v = value()) == nullptr) return usage(("missing value for " + a).c_str());
    if (a == "--host") host = v;
    else if (a == "--port") port = std::strtol(v, nullptr, 10);
    else if (a == "--id") id = v;
    else if (a == "--token") token = v;
    else if (a == "--dir") dir = v;
    else if (a == "--fps") fps = std::strtol(v, nullptr, 10);
    else if (a == "--max-connect-attempts") maxAttempts = std::strtol(v, nullptr, 10);
    else if (a == "--exit-after-frames") exitAfterFrames = std::strtol(v, nullptr, 10);
    else if (a == "--state-dir") stateDir = v;
    else if (a == "--firmware-version") version = v;
    else if (a == "--tls-fingerprint") fingerprint = v;
    else return usage(("unknown option " + a).c_str());
  }
  const bool findByMdns = host.empty();
  if (findByMdns) port = 3008;  // a placeholder: the relay's TXT record says which port
  if (id.empty() || dir.empty() || port <= 0 || port > 65535) {
    return usage("--id, --dir are required, and --port (1..65535) with --host");
  }
  std::vector<std::vector<uint8_t>> jpegs = loadJpegs(dir);
  if (jpegs.empty()) return usage(("no .jpg files in " + dir).c_str());

  signal(SIGINT, onSignal);
  signal(SIGTERM, onSignal);
  signal(SIGPIPE, SIG_IGN);

  StdoutLog log;
  MonotonicClock clock;
  HostRandom random;
  uint8_t pin[32];
  char normalized[kFingerprintCap];
  if (!fingerprint.empty() &&
      !(normalizeFingerprint(fingerprint.c_str(), normalized) && fingerprintBytes(normalized, pin))) {
    return usage("--tls-fingerprint needs 64 hex digits (colons allowed)");
  }
  PosixLink link(fingerprint.empty() ? nullptr : pin);
  const size_t files = jpegs.size();
  FolderFrames frames(std::move(jpegs), clock);
  HostCamera camera;
  HostDevice device(files);
  HostSystem system;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  FileKeyValueStore nvs(stateDir.empty() ? "" : stateDir + "/nvs.tsv");
  SettingsStore store(nvs, log);
  DeviceSettings saved;
  store.load(DeviceSettings{}, &saved);
  FileFirmware firmwareFiles(stateDir);
  if (!firmwareFiles.bootEvent().empty()) log.line("host-cam: boot: %s", firmwareFiles.bootEvent().c_str());
  CurlDownload download;
  OpenSslSha256 sha;

  const std::string firmware = std::string(CAMRELAY_FIRMWARE_NAME "/") + version + " (host)";
  OtaUpdater ota(download, firmwareFiles, sha, firmwareFiles, nvs, clock, log, version.c_str());
  ota.atBoot();
  ClientConfig config;
  config.host = host.c_str();
  config.hostFoundLater = findByMdns;
  config.port = static_cast<uint16_t>(port);
  config.cameraId = id.c_str();
  config.token = token.c_str();
  config.firmware = firmware.c_str();
  config.onDemand = onDemand;
  config.maxFps = static_cast<uint32_t>(fps < 0 ? 0 : fps);
  Client client(config, link, clock, random, frames, camera, &device, system, log, saved.sensor);
  if (client.configError()) {
    std::fprintf(stderr, "camrelay_host_cam: %s\n", client.configError());
    return 64;
  }
  AvahiMdnsBrowser mdns(log);
  RelayLocator locator(mdns, random, log, !fingerprint.empty());
  CameraApp app(client, store, ota, findByMdns ? &locator : nullptr, system, log, token.c_str());
  const std::string relay = findByMdns ? "found by mDNS" : host + ":" + std::to_string(port);
  log.line("host-cam: %zu JPEG files from %s, camera '%s', relay %s%s%s, firmware %s%s", files, dir.c_str(),
           id.c_str(), relay.c_str(), fingerprint.empty() ? "" : " (TLS, pinned)", onDemand ? ", on demand" : "",
           version.c_str(),
           stateDir.empty() ? "" : (", state in " + stateDir).c_str());

  while (!stopRequested) {
    if (maxAttempts > 0 && client.state() == State::kDisconnected &&
        client.stats().connectAttempts >= static_cast<uint32_t>(maxAttempts)) {
      log.line("host-cam: giving up after %ld connection attempt(s); last: %s", maxAttempts,
               client.stats().lastDisconnect);
      return 2;
    }
    const uint32_t sleepMs = app.step(clock.nowMicros());
    if (firmwareFiles.rollbackRequested()) {
      log.line("host-cam: rolling back to the previous firmware, exiting with 5");
      return 5;
    }
    if (system.restartRequested) {
      const bool update = system.lastReason == "firmware update";
      log.line("host-cam: exiting with %d", update ? 4 : 3);
      return update ? 4 : 3;
    }
    if (exitAfterFrames > 0 && client.stats().framesSent >= static_cast<uint32_t>(exitAfterFrames)) break;
    if (sleepMs > 0) usleep(std::min<uint32_t>(sleepMs, 50) * 1000);
  }
  client.stop("host camera exiting");
  log.line("host-cam: sent %u frames in %u session(s)", client.stats().framesSent, client.stats().sessions);
  return 0;
}
