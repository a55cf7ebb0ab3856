#include "client.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace camrelay {

namespace {
// Relay-to-camera messages are small (WELCOME, CONTROL, PING, BYE, ERROR). Anything announcing more than this
// is rejected from its header; up to it, a payload longer than the receive buffer is delivered truncated.
constexpr uint32_t kMaxIncomingPayload = 64 * 1024;
constexpr size_t kMaxInputPerStep = 4096;
constexpr uint32_t kIdlePollMs = 10;
constexpr uint32_t kCaptureRetryMs = 50;
constexpr uint64_t kUs = 1000;
constexpr uint32_t kLingerMs = 1000;  // after our BYE/ERROR, how long the peer gets to read it (PROTOCOL.md 3)

uint32_t msUntil(uint64_t now, uint64_t when) {
  if (when <= now) return 0;
  const uint64_t ms = (when - now + kUs - 1) / kUs;
  return ms > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(ms);
}

uint32_t minU32(uint32_t a, uint32_t b) { return a < b ? a : b; }

bool looksLikeJpeg(const Frame& f) {
  return f.data != nullptr && f.len >= 4 && f.data[0] == 0xFF && f.data[1] == 0xD8 && f.data[f.len - 2] == 0xFF &&
         f.data[f.len - 1] == 0xD9;
}
}  // namespace

const char* stateName(State state) {
  switch (state) {
    case State::kDisconnected: return "DISCONNECTED";
    case State::kConnecting: return "CONNECTING";
    case State::kHelloSent: return "HELLO_SENT";
    case State::kIdle: return "IDLE";
    case State::kStreaming: return "STREAMING";
  }
  return "?";
}

Client::Client(const ClientConfig& config, Link& link, Clock& clock, Random& random, FrameSource& frames,
               CameraControl& camera, DeviceInfo* device, System& system, Log& log, const SensorSettings& initial)
    : config_(config),
      link_(link),
      clock_(clock),
      random_(random),
      frames_(frames),
      device_(device),
      system_(system),
      log_(log),
      commands_(camera, initial),
      backoff_(config.backoffBaseMs, config.backoffMaxMs),
      decoder_(rxPayload_, sizeof rxPayload_, kMaxIncomingPayload) {
  const char* id = config_.cameraId ? config_.cameraId : "";
  if (config_.host == nullptr) config_.host = "";
  if (config_.host[0] == '\0' && !config_.hostFoundLater) {
    snprintf(configError_, sizeof configError_, "no relay host configured");
  } else if (config_.port == 0) {
    snprintf(configError_, sizeof configError_, "no relay port configured");
  } else if (!wire::isValidCameraId(id, strnlen(id, 65))) {
    snprintf(configError_, sizeof configError_, "invalid camera id: want %s", wire::kCameraIdRule);
  } else if (config_.token && strnlen(config_.token, 256) > 255) {
    snprintf(configError_, sizeof configError_, "camera token longer than 255 bytes");
  }
  if (config_.token == nullptr) config_.token = "";
  if (config_.firmware == nullptr) config_.firmware = "";
  if (strnlen(config_.firmware, 256) > 255) config_.firmware = "";
}

void Client::enter(State next) {
  if (next == state_) return;
  log_.line("relay: %s -> %s", stateName(state_), stateName(next));
  state_ = next;
}

uint32_t Client::step() {
  const uint64_t now = clock_.nowMicros();
  nowUs_ = now;
  updateStats(now);

  if (configError()) {
    if (lastConfigErrorLogUs_ == 0 || now - lastConfigErrorLogUs_ >= 10000 * kUs) {
      lastConfigErrorLogUs_ = now == 0 ? 1 : now;
      log_.line("relay: not connecting: %s (fix config.h)", configError_);
    }
    return 1000;
  }

  switch (state_) {
    case State::kDisconnected:
      if (!link_.networkReady() || config_.host[0] == '\0') return 100;
      if (now < nextAttemptUs_) return minU32(msUntil(now, nextAttemptUs_), 100);
      enter(State::kConnecting);
      return 0;
    case State::kConnecting:
      connect(now);
      return 0;
    case State::kHelloSent:
    case State::kIdle:
    case State::kStreaming:
      break;
  }

  if (!link_.networkReady()) {
    closeSession(Retry::kNow, "network down");
    return 100;
  }
  if (!pumpInput(now)) return 0;

  if (state_ == State::kHelloSent) {
    if (now - helloSentUs_ >= config_.welcomeTimeoutMs * kUs) {
      failSession(wire::kTimeout, "no WELCOME within %lu ms", static_cast<unsigned long>(config_.welcomeTimeoutMs));
      return 0;
    }
    return kIdlePollMs;
  }

  // IDLE or STREAMING.
  if (now - lastRxUs_ >= config_.relaySilenceMs * kUs) {
    closeSession(Retry::kBackoff, "relay silent for %lu ms", static_cast<unsigned long>((now - lastRxUs_) / kUs));
    return 0;
  }
  if (!backoffResetThisSession_ && now - sessionStartUs_ >= config_.stableSessionMs * kUs) {
    backoff_.reset();
    backoffResetThisSession_ = true;
  }
  const uint64_t pingEvery = config_.pingIntervalMs * kUs;
  if (now - lastPingUs_ >= pingEvery && (now - lastRxUs_ >= pingEvery || now - lastTxUs_ >= pingEvery)) {
    uint8_t stamp[8];
    wire::writeU64(stamp, now);
    lastPingUs_ = now;
    if (!sendSmall(wire::encodePing(txBuf_, sizeof txBuf_, stamp, sizeof stamp))) return 0;
  }
  if (events_ != nullptr) {
    char event[256];
    const size_t n = events_->nextEvent(event, sizeof event);
    if (n > 0 && !sendSmall(wire::encodeControl(txBuf_, sizeof txBuf_, 0, event, n, false))) return 0;
  }
  if (state_ != State::kStreaming || framesHeld_) return kIdlePollMs;
  if (now < nextFrameUs_) return minU32(msUntil(now, nextFrameUs_), kIdlePollMs);
  sendFrame(now);
  if (state_ != State::kStreaming) return 0;
  if (captureGuard_.consecutiveFailures() > 0) return kCaptureRetryMs;
  return minU32(msUntil(clock_.nowMicros(), nextFrameUs_), kIdlePollMs);
}

void Client::connect(uint64_t now) {
  stats_.connectAttempts++;
  log_.line("relay: connecting to %s:%u as camera '%s'", config_.host, config_.port, config_.cameraId);
  if (!link_.connect(config_.host, config_.port, config_.connectTimeoutMs)) {
    const char* why = link_.lastError();
    connectFailuresInARow_++;
    closeSession(Retry::kBackoff, "connect to %s:%u failed%s%s", config_.host, config_.port, why[0] ? ": " : "",
                 why);
    return;
  }
  sessionOpen_ = true;
  decoder_.reset();
  sequence_ = 0;  // FRAMEs are numbered per connection (PROTOCOL.md section 2)
  now = clock_.nowMicros();
  lastRxUs_ = lastTxUs_ = lastPingUs_ = now;
  backoffResetThisSession_ = false;
  restartRequested_ = false;
  wire::Hello hello{wire::kVersion, wire::kCapControl | (config_.onDemand ? wire::kCapOnDemand : 0u),
                    config_.cameraId, config_.token, config_.firmware};
  const size_t n = wire::encodeHello(txBuf_, sizeof txBuf_, hello);
  if (!sendSmall(n)) return;
  helloSentUs_ = clock_.nowMicros();
  enter(State::kHelloSent);
}

bool Client::sendAll(const uint8_t* data, size_t len, uint64_t deadlineUs) {
  while (len > 0) {
    const uint64_t now = clock_.nowMicros();
    if (now >= deadlineUs) {
      stats_.sendStalls++;
      closeSession(Retry::kBackoff, "send stalled: %lu bytes not accepted within %lu ms",
                   static_cast<unsigned long>(len), static_cast<unsigned long>(config_.sendTimeoutMs));
      return false;
    }
    const int n = link_.write(data, len, minU32(msUntil(now, deadlineUs), 100));
    if (n < 0) {
      const char* why = link_.lastError();
      closeSession(Retry::kBackoff, "write failed%s%s", why[0] ? ": " : "", why);
      return false;
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  lastTxUs_ = clock_.nowMicros();
  return true;
}

bool Client::sendSmall(size_t len) {
  if (len == 0) {  // an encoder refused: a bug, never expected on the wire
    closeSession(Retry::kBackoff, "internal error: message did not fit the send buffer");
    return false;
  }
  return sendAll(txBuf_, len, clock_.nowMicros() + config_.sendTimeoutMs * kUs);
}

bool Client::pumpInput(uint64_t now) {
  size_t total = 0;
  while (sessionOpen_ && total < kMaxInputPerStep) {
    const int n = link_.read(rxChunk_, sizeof rxChunk_);
    if (n == 0) break;
    if (n < 0) {
      const char* why = link_.lastError();
      closeSession(Retry::kBackoff, "relay closed the connection%s%s", why[0] ? ": " : "", why);
      return false;
    }
    lastRxUs_ = now;
    total += static_cast<size_t>(n);
    const wire::Decoder::Result r = decoder_.feed(rxChunk_, static_cast<size_t>(n), *this);
    if (r == wire::Decoder::Result::kError) {
      failSession(decoder_.error().code, "%s", decoder_.error().message);
      return false;
    }
    if (r == wire::Decoder::Result::kStopped) return false;  // the session ended inside a callback
  }
  return sessionOpen_;
}

bool Client::onMessage(const wire::Message& m) {
  const wire::Type type = static_cast<wire::Type>(m.header.type);
  wire::Error err{};
  if (state_ == State::kHelloSent && type != wire::Type::kWelcome && type != wire::Type::kError &&
      type != wire::Type::kBye && type != wire::Type::kPing && type != wire::Type::kPong) {
    failSession(wire::kProtocolError, "expected WELCOME, got %s", wire::typeName(m.header.type));
    return false;
  }
  switch (type) {
    case wire::Type::kWelcome: {
      wire::WelcomeView w{};
      if (state_ != State::kHelloSent) {
        failSession(wire::kProtocolError, "unexpected WELCOME");
        return false;
      }
      if (!wire::parseWelcome(m.payload, m.payloadSize, &w, &err)) {
        failSession(err.code, "%s", err.message);
        return false;
      }
      if (w.version != wire::kVersion) {
        failSession(wire::kUnsupported, "relay chose protocol version %u; this camera speaks 1", w.version);
        return false;
      }
      maxPayload_ = w.maxPayload;
      stats_.sessions++;
      connectFailuresInARow_ = 0;
      sessionStartUs_ = nowUs_;
      nextFrameUs_ = nowUs_;
      const bool stream = !config_.onDemand || (w.flags & wire::kWelcomeStream);
      log_.line("relay: welcome (protocol v%u, %s, max frame %lu bytes)", w.version,
                stream ? "streaming" : "on demand: waiting for a viewer", static_cast<unsigned long>(w.maxPayload));
      enter(stream ? State::kStreaming : State::kIdle);
      return true;
    }
    case wire::Type::kControl:
      handleControl(m);
      return sessionOpen_;
    case wire::Type::kPing: {
      stats_.pingsReceived++;
      return sendSmall(wire::encodePong(txBuf_, sizeof txBuf_, m.payload, m.payloadSize));
    }
    case wire::Type::kPong:
      return true;  // any input already counts as a sign of life
    case wire::Type::kBye:
    case wire::Type::kError: {
      wire::ReasonView r{};
      if (!wire::parseReason(m.payload, m.payloadSize, &r, &err)) {
        closeSession(Retry::kBackoff, "relay sent a malformed %s", wire::typeName(m.header.type));
        return false;
      }
      const int shown = static_cast<int>(r.reasonLen > 80 ? 80 : r.reasonLen);
      const Retry retry = (type == wire::Type::kError && r.code == wire::kAuthFailed) ? Retry::kLongest
                                                                                     : Retry::kBackoff;
      closeSession(retry, "relay sent %s %u %s: %.*s", wire::typeName(m.header.type), r.code,
                   wire::codeName(r.code), shown, r.reason);
      if (retry == Retry::kLongest) log_.line("relay: check CAMRELAY_TOKEN in config.h against the relay's camera token");
      return false;
    }
    case wire::Type::kHello:
    case wire::Type::kFrame:
      failSession(wire::kProtocolError, "unexpected %s from the relay", wire::typeName(m.header.type));
      return false;
  }
  return true;
}

void Client::handleControl(const wire::Message& m) {
  wire::Error err{};
  if (m.truncated) {
    // Still answer: the request id is in the first 4 bytes.
    const uint32_t id = m.payloadSize >= 4 ? wire::readU32(m.payload) : 0;
    char reply[96];
    const int n = snprintf(reply, sizeof reply, "{\"ok\":false,\"error\":\"command too large (%lu bytes, max %u)\"}",
                           static_cast<unsigned long>(m.header.length - 4), static_cast<unsigned>(kMaxCommandInput));
    log_.line("control %lu: command of %lu bytes rejected (too large)", static_cast<unsigned long>(id),
              static_cast<unsigned long>(m.header.length));
    sendSmall(wire::encodeControl(txBuf_, sizeof txBuf_, id, reply, static_cast<size_t>(n), true));
    return;
  }
  wire::ControlView c{};
  if (!wire::parseControl(m.payload, m.payloadSize, m.header.flags, &c, &err)) {
    failSession(err.code, "%s", err.message);
    return;
  }
  if (c.reply) {
    log_.line("control %lu: ignoring a reply sent to the camera", static_cast<unsigned long>(c.requestId));
    return;
  }
  stats_.controlCommands++;
  char reply[kMaxReply];
  bool ok = false;
  const size_t n = commands_.handle(c.json, c.jsonLen, *this, device_, reply, sizeof reply, &ok);
  if (commands_.lastCommandHadSecret()) {
    log_.line("control %lu: (a command with a token, not shown) -> %.*s", static_cast<unsigned long>(c.requestId),
              static_cast<int>(n > 160 ? 160 : n), reply);
  } else {
    log_.line("control %lu: %.*s -> %.*s", static_cast<unsigned long>(c.requestId),
              static_cast<int>(c.jsonLen > 100 ? 100 : c.jsonLen), c.json, static_cast<int>(n > 160 ? 160 : n), reply);
  }
  if (!sendSmall(wire::encodeControl(txBuf_, sizeof txBuf_, c.requestId, reply, n, true))) return;
  if (restartRequested_) {
    stop("restarting on request");
    system_.restart("restart requested by CONTROL");
  }
}

void Client::sendFrame(uint64_t now) {
  Frame f{};
  if (!frames_.acquire(&f)) {
    stats_.captureFailures++;
    const CaptureGuard::Action action = captureGuard_.onFailure();
    if (captureGuard_.consecutiveFailures() == 1) log_.line("camera: capture failed (no frame buffer), retrying");
    if (action == CaptureGuard::Action::kReinit) {
      log_.line("camera: %lu captures failed in a row, re-initialising the camera",
                static_cast<unsigned long>(captureGuard_.consecutiveFailures()));
      const bool ok = frames_.reinit();
      captureGuard_.onReinitResult(ok);
      stats_.cameraReinits++;
      log_.line("camera: re-init %s", ok ? "done" : "FAILED");
    } else if (action == CaptureGuard::Action::kRestart) {
      log_.line("camera: no frames after %lu re-inits, restarting the board",
                static_cast<unsigned long>(captureGuard_.reinits()));
      stop("camera failure, restarting");
      system_.restart("camera gives no frames");
    }
    return;
  }
  captureGuard_.onSuccess();
  if (!looksLikeJpeg(f)) {
    frames_.release();
    stats_.framesDropped++;
    if (++stats_.framesNotJpeg % 100 == 1) {
      log_.line("camera: dropped a frame that is not a complete JPEG (%lu so far)",
                static_cast<unsigned long>(stats_.framesNotJpeg));
    }
    return;
  }
  if (f.len > maxPayload_) {
    frames_.release();
    stats_.framesDropped++;
    if (++stats_.framesTooLarge % 100 == 1) {
      log_.line("camera: dropped a %lu-byte frame, larger than the relay's max %lu (lower framesize/quality)",
                static_cast<unsigned long>(f.len), static_cast<unsigned long>(maxPayload_));
    }
    return;
  }
  // Header on the stack, then the JPEG straight from the camera's buffer.
  uint8_t header[wire::kHeaderSize];
  wire::writeHeader(header, wire::Type::kFrame, 0, static_cast<uint32_t>(f.len), sequence_, f.timestampUs);
  const uint64_t deadline = clock_.nowMicros() + config_.sendTimeoutMs * kUs;
  const bool sent = sendAll(header, sizeof header, deadline) && sendAll(f.data, f.len, deadline);
  frames_.release();
  if (!sent) return;  // the session is already closed
  sequence_++;
  stats_.framesSent++;
  stats_.bytesSent += f.len + wire::kHeaderSize;
  stats_.lastFrameBytes = static_cast<uint32_t>(f.len);
  stats_.lastFrameWidth = f.width;
  stats_.lastFrameHeight = f.height;
  windowFrames_++;
  nextFrameUs_ = config_.maxFps > 0 ? now + 1000000ull / config_.maxFps : now;
}

void Client::setRelay(const char* host, uint16_t port) {
  snprintf(host_, sizeof host_, "%s", host);
  config_.host = host_;
  config_.port = port;
  connectFailuresInARow_ = 0;
}

void Client::setStreaming(bool on) {
  if (state_ != State::kIdle && state_ != State::kStreaming) return;
  if (on == (state_ == State::kStreaming)) return;
  log_.line("relay: %s", on ? "viewer wants frames: streaming" : "no viewer: streaming paused");
  if (on) nextFrameUs_ = nowUs_;
  enter(on ? State::kStreaming : State::kIdle);
}

void Client::writeStatus(JsonWriter& json) {
  json.key("id").str(config_.cameraId).key("firmware").str(config_.firmware);
  json.key("state").str(stateName(state_)).key("streaming").boolean(streaming());
  json.key("onDemand").boolean(config_.onDemand).key("maxFps").num(config_.maxFps);
  json.key("fps").tenths(stats_.fpsTenths).key("frames").num(stats_.framesSent);
  json.key("lastFrameBytes").num(stats_.lastFrameBytes).key("dropped").num(stats_.framesDropped);
  json.key("captureFailures").num(stats_.captureFailures).key("cameraReinits").num(stats_.cameraReinits);
  json.key("sessions").num(stats_.sessions).key("uptimeS").num(static_cast<int64_t>(nowUs_ / 1000000));
}

void Client::updateStats(uint64_t now) {
  if (windowStartUs_ == 0) {
    windowStartUs_ = now == 0 ? 1 : now;
    return;
  }
  const uint64_t elapsed = now - windowStartUs_;
  if (elapsed >= config_.statsWindowMs * kUs && elapsed > 0) {
    stats_.fpsTenths = static_cast<uint32_t>(static_cast<uint64_t>(windowFrames_) * 10000000ull / elapsed);
    windowFrames_ = 0;
    windowStartUs_ = now;
  }
}

void Client::failSession(uint16_t code, const char* fmt, ...) {
  char why[96];
  va_list args;
  va_start(args, fmt);
  vsnprintf(why, sizeof why, fmt, args);
  va_end(args);
  if (sessionOpen_) {
    // Best effort, short deadline: the relay should learn why, but a dead link must not hold us up.
    const size_t n = wire::encodeReason(txBuf_, sizeof txBuf_, wire::Type::kError, code, why);
    const uint64_t deadline = clock_.nowMicros() + 500 * kUs;
    const uint8_t* p = txBuf_;
    size_t left = n;
    while (left > 0 && clock_.nowMicros() < deadline) {
      const int w = link_.write(p, left, 100);
      if (w < 0) break;
      p += w;
      left -= static_cast<size_t>(w);
    }
    link_.closeGracefully(kLingerMs);
  }
  closeSession(Retry::kBackoff, "protocol error %u %s: %s", code, wire::codeName(code), why);
}

void Client::stop(const char* reason) {
  if (!sessionOpen_) return;
  const size_t n = wire::encodeReason(txBuf_, sizeof txBuf_, wire::Type::kBye, wire::kNormal, reason);
  const uint64_t deadline = clock_.nowMicros() + 500 * kUs;
  const uint8_t* p = txBuf_;
  size_t left = n;
  while (left > 0 && clock_.nowMicros() < deadline) {
    const int w = link_.write(p, left, 100);
    if (w < 0) break;
    p += w;
    left -= static_cast<size_t>(w);
  }
  link_.closeGracefully(kLingerMs);
  sessionOpen_ = false;
  decoder_.reset();
  log_.line("relay: closed (%s)", reason);
  snprintf(stats_.lastDisconnect, sizeof stats_.lastDisconnect, "%s", reason);
  enter(State::kDisconnected);
  nextAttemptUs_ = clock_.nowMicros();
}

void Client::closeSession(Retry retry, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(stats_.lastDisconnect, sizeof stats_.lastDisconnect, fmt, args);
  va_end(args);
  link_.close();
  sessionOpen_ = false;
  decoder_.reset();
  log_.line("relay: disconnected: %s", stats_.lastDisconnect);
  enter(State::kDisconnected);
  uint32_t delayMs = 0;
  switch (retry) {
    case Retry::kNow: delayMs = 0; break;
    case Retry::kBackoff: delayMs = backoff_.nextDelayMs(random_); break;
    case Retry::kLongest: delayMs = backoff_.maxDelayMs(random_); break;
  }
  nextAttemptUs_ = clock_.nowMicros() + delayMs * kUs;
  if (delayMs > 0) {
    log_.line("relay: reconnecting in %lu ms (attempt %lu)", static_cast<unsigned long>(delayMs),
              static_cast<unsigned long>(backoff_.attempts()));
  }
}

}  // namespace camrelay
