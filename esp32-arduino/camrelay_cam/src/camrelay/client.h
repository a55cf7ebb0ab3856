// The camera's side of the framed protocol v1, as a state machine driven by step():
//
//   DISCONNECTED --(network up, backoff elapsed)--> CONNECTING --(TCP up, HELLO sent)--> HELLO_SENT
//        ^                                              |                                   |
//        |  connect failed / stalled send / relay       |                         WELCOME   |
//        |  silent / ERROR / BYE / protocol error       v                                   v
//        +------------------ (backoff + jitter) ----- any state  <------  IDLE <--stream on/off--> STREAMING
//
// One persistent connection. Frames go straight from the camera's buffer to the socket (24-byte header built on
// the stack, then the JPEG bytes): no copy, no heap, no extra task. Every send has a deadline; a send that
// stalls past it closes the connection, which is then re-opened with exponential backoff and jitter.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "backoff.h"
#include "commands.h"
#include "ports.h"
#include "supervisors.h"
#include "wire.h"

namespace camrelay {

// Messages the camera sends on its own (CONTROL requests with id 0, e.g. update progress; v1 relays ignore them).
class EventSource {
 public:
  // The next event as JSON into out[cap]; returns its length, 0 when there is none.
  virtual size_t nextEvent(char* out, size_t cap) = 0;

 protected:
  ~EventSource() = default;
};

struct ClientConfig {
  const char* host = "";
  bool hostFoundLater = false;        // no host yet is fine: setRelay() provides it (mDNS)
  uint16_t port = 3008;
  const char* cameraId = "default";
  const char* token = "";
  const char* firmware = "";
  bool onDemand = true;               // advertise ON_DEMAND: send frames only while the relay asks for them
  uint32_t maxFps = 0;                // 0 = as fast as the camera and network go
  uint32_t connectTimeoutMs = 5000;
  uint32_t welcomeTimeoutMs = 5000;   // HELLO sent, no WELCOME -> reconnect
  uint32_t sendTimeoutMs = 5000;      // a whole frame (or any message) must be sent within this
  uint32_t pingIntervalMs = 5000;     // PING when nothing was received or sent for this long
  uint32_t relaySilenceMs = 15000;    // nothing received for this long (PINGs unanswered) -> reconnect
  uint32_t stableSessionMs = 10000;   // a session this old resets the backoff
  uint32_t backoffBaseMs = 1000;      // first retry after 0.5..1 s, doubling up to backoffMaxMs
  uint32_t backoffMaxMs = 30000;
  uint32_t statsWindowMs = 5000;      // fps is measured over this window
};

enum class State : uint8_t { kDisconnected, kConnecting, kHelloSent, kIdle, kStreaming };
const char* stateName(State state);

struct ClientStats {
  uint32_t connectAttempts = 0;
  uint32_t sessions = 0;          // WELCOMEs received
  uint32_t framesSent = 0;
  uint64_t bytesSent = 0;
  uint32_t fpsTenths = 0;         // over the last stats window
  uint32_t lastFrameBytes = 0;
  uint16_t lastFrameWidth = 0;
  uint16_t lastFrameHeight = 0;
  uint32_t framesDropped = 0;     // not JPEG, or larger than the relay's max payload
  uint32_t framesNotJpeg = 0;
  uint32_t framesTooLarge = 0;
  uint32_t captureFailures = 0;
  uint32_t cameraReinits = 0;
  uint32_t controlCommands = 0;
  uint32_t pingsReceived = 0;
  uint32_t sendStalls = 0;
  char lastDisconnect[96] = {0};
};

class Client final : public Session, private wire::MessageSink {
 public:
  Client(const ClientConfig& config, Link& link, Clock& clock, Random& random, FrameSource& frames,
         CameraControl& camera, DeviceInfo* device, System& system, Log& log, const SensorSettings& initial);

  // Non-null when the configuration can never work (e.g. an invalid camera id); step() then only logs it.
  const char* configError() const { return configError_[0] ? configError_ : nullptr; }

  // Does one bounded piece of work (at most one connect, one frame, a few KB of input) and returns how many
  // milliseconds the caller may sleep before the next call.
  uint32_t step();

  // Orderly shutdown: BYE 0 with the reason, then close. The client stays disconnected until the next step().
  void stop(const char* reason);

  // The relay to use from the next connection on (found by mDNS). The host is copied.
  void setRelay(const char* host, uint16_t port);
  bool hasRelay() const { return config_.host[0] != '\0'; }
  // While held (an update is downloading), a STREAMING camera keeps its session but sends no frames.
  void holdFrames(bool hold) { framesHeld_ = hold; }
  void setEvents(EventSource* events) { events_ = events; }
  CommandDispatcher& commands() { return commands_; }
  // Connection attempts that failed since the last WELCOME.
  uint32_t connectFailuresInARow() const { return connectFailuresInARow_; }

  State state() const { return state_; }
  const ClientStats& stats() const { return stats_; }
  const SensorSettings& settings() const { return commands_.settings(); }
  uint32_t backoffAttempts() const { return backoff_.attempts(); }

  // Session (used by the CONTROL commands).
  void setStreaming(bool on) override;
  bool streaming() const override { return state_ == State::kStreaming; }
  void requestRestart() override { restartRequested_ = true; }
  void writeStatus(JsonWriter& json) override;

 private:
  enum class Retry { kBackoff, kLongest, kNow };

  bool onMessage(const wire::Message& message) override;
  void connect(uint64_t now);
  bool pumpInput(uint64_t now);
  void sendFrame(uint64_t now);
  bool sendAll(const uint8_t* data, size_t len, uint64_t deadlineUs);
  bool sendSmall(size_t len);  // txBuf_[0..len) within the send timeout
  void failSession(uint16_t code, const char* fmt, ...) CAMRELAY_PRINTF(3, 4);  // ERROR to the relay (best effort), then close
  void closeSession(Retry retry, const char* fmt, ...) CAMRELAY_PRINTF(3, 4);
  void enter(State next);
  void updateStats(uint64_t now);
  void handleControl(const wire::Message& message);

  ClientConfig config_;
  Link& link_;
  Clock& clock_;
  Random& random_;
  FrameSource& frames_;
  DeviceInfo* device_;
  System& system_;
  Log& log_;
  CommandDispatcher commands_;
  Backoff backoff_;
  CaptureGuard captureGuard_;

  State state_ = State::kDisconnected;
  ClientStats stats_;
  char configError_[96] = {0};
  uint64_t nextAttemptUs_ = 0;
  uint64_t helloSentUs_ = 0;
  uint64_t sessionStartUs_ = 0;
  uint64_t lastRxUs_ = 0;
  uint64_t lastTxUs_ = 0;
  uint64_t lastPingUs_ = 0;
  uint64_t nextFrameUs_ = 0;
  uint64_t lastConfigErrorLogUs_ = 0;
  uint64_t windowStartUs_ = 0;
  uint32_t windowFrames_ = 0;
  uint32_t maxPayload_ = wire::kDefaultMaxPayload;
  uint32_t sequence_ = 0;
  bool restartRequested_ = false;
  bool framesHeld_ = false;
  EventSource* events_ = nullptr;
  uint32_t connectFailuresInARow_ = 0;
  char host_[64] = {0};
  bool backoffResetThisSession_ = false;
  bool sessionOpen_ = false;   // the TCP connection is up (HELLO_SENT, IDLE or STREAMING)
  uint64_t nowUs_ = 0;         // time of the current step, for callbacks

  static constexpr size_t kRxPayload = 1024;
  static constexpr size_t kTxBuffer = wire::kHeaderSize + 4 + kMaxReply + 64;
  uint8_t rxPayload_[kRxPayload];
  uint8_t rxChunk_[512];
  uint8_t txBuf_[kTxBuffer];
  wire::Decoder decoder_;
};

}  // namespace camrelay
