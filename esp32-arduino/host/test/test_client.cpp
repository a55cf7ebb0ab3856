// The connection state machine, driven step by step with a manual clock and a scripted link.
#include <algorithm>

#include "fakes.h"
#include "harness.h"

using namespace camrelay;
using namespace fakes;

namespace {

struct Rig {
  ManualClock clock;
  FakeLink link{clock};
  FixedRandom random{0};
  FakeFrames frames;
  FakeCamera camera;
  FakeDevice device;
  FakeSystem system;
  CaptureLog log;
  ClientConfig config = defaults();
  std::unique_ptr<Client> client;

  static ClientConfig defaults() {
    ClientConfig c;
    c.host = "relay.local";
    c.port = 3008;
    c.cameraId = "garage";
    c.token = "s3cret-T0ken";
    c.firmware = "camrelay-esp32/test";
    c.onDemand = true;
    return c;
  }
  Client& start() {
    frames.jpegs = {jpeg(1000, 0x11), jpeg(2000, 0x22), jpeg(3000, 0x33)};
    client.reset(new Client(config, link, clock, random, frames, camera, &device, system, log, SensorSettings{}));
    return *client;
  }
  // Steps until the condition holds (bounded), advancing the clock by the returned sleep.
  template <typename Pred>
  void stepUntil(Pred pred, int maxSteps = 10000) {
    for (int i = 0; i < maxSteps && !pred(); i++) clock.advanceMs(client->step());
    if (!pred()) throw harness::Failure("condition not reached; state " + std::string(stateName(client->state())) +
                                        "\n" + log.all());
  }
  void steps(int n) {
    for (int i = 0; i < n; i++) clock.advanceMs(client->step());
  }
  void connectAndWelcome(bool stream) {
    stepUntil([&] { return client->state() == State::kHelloSent; });
    link.relaySends(welcome(stream));
    stepUntil([&] { return client->state() == (stream ? State::kStreaming : State::kIdle); });
  }
  std::vector<Sent> sent() {
    std::string err;
    std::vector<Sent> all = decodeAll(link.outbound, &err);
    if (!err.empty()) throw harness::Failure("camera sent an invalid stream: " + err);
    return all;
  }
  std::vector<Sent> sentOfType(wire::Type t) {
    std::vector<Sent> out;
    for (auto& m : sent())
      if (m.header.type == static_cast<uint8_t>(t)) out.push_back(m);
    return out;
  }
};

}  // namespace

TEST(connectsAndSendsHelloWithIdTokenCapabilitiesAndFirmware) {
  Rig r;
  r.config.onDemand = true;
  r.start();
  CHECK(r.client->state() == State::kDisconnected);
  r.stepUntil([&] { return r.client->state() == State::kHelloSent; });
  CHECK_EQ(r.link.lastHost, std::string("relay.local"));
  CHECK_EQ(r.link.lastPort, static_cast<uint16_t>(3008));
  const auto hellos = r.sentOfType(wire::Type::kHello);
  CHECK_EQ(hellos.size(), static_cast<size_t>(1));
  wire::HelloView h{};
  wire::Error err{};
  CHECK(wire::parseHello(hellos[0].payload.data(), hellos[0].payload.size(), &h, &err));
  CHECK_EQ(static_cast<int>(h.maxVersion), 1);
  CHECK_EQ(h.capabilities, wire::kCapOnDemand | wire::kCapControl);
  CHECK_EQ(std::string(h.cameraId, h.cameraIdLen), std::string("garage"));
  CHECK_EQ(std::string(h.token, h.tokenLen), std::string("s3cret-T0ken"));
  CHECK_EQ(std::string(h.firmware, h.firmwareLen), std::string("camrelay-esp32/test"));
}

TEST(streamsEachCapturedJpegAsOneFrameWithRisingSequenceAndCaptureTime) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.client->stats().framesSent >= 6; });
  const auto frames = r.sentOfType(wire::Type::kFrame);
  CHECK(frames.size() >= 6);
  for (size_t i = 0; i < frames.size(); i++) {
    CHECK_EQ(frames[i].header.sequence, static_cast<uint32_t>(i));
    CHECK(frames[i].payload == r.frames.jpegs[i % 3]);
    CHECK_EQ(frames[i].header.timestampUs, static_cast<uint64_t>(5000000u + i + 1));
    CHECK_EQ(frames[i].header.flags, static_cast<uint16_t>(0));
  }
  CHECK_EQ(r.frames.acquires, r.frames.releases + (r.frames.held ? 1 : 0));
  CHECK(!r.frames.held);
}

TEST(framePayloadIsWrittenStraightFromTheCameraBufferWithoutACopy) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.client->stats().framesSent >= 3; });
  for (const auto& j : r.frames.jpegs) {
    CHECK(std::find(r.link.writePointers.begin(), r.link.writePointers.end(), j.data()) != r.link.writePointers.end());
  }
}

TEST(onDemandCameraWaitsForTheStreamFlagOrTheStreamCommand) {
  Rig r;
  r.config.onDemand = true;
  r.start();
  r.connectAndWelcome(false);
  r.steps(50);
  CHECK_EQ(r.client->stats().framesSent, static_cast<uint32_t>(0));
  CHECK_EQ(r.frames.acquires, 0);

  r.link.relaySends(control(1, R"J({"cmd":"stream","on":true})J"));
  r.stepUntil([&] { return r.client->stats().framesSent >= 2; });
  CHECK(r.client->state() == State::kStreaming);

  r.link.relaySends(control(2, R"J({"cmd":"stream","on":false})J"));
  r.stepUntil([&] { return r.client->state() == State::kIdle; });
  const uint32_t sent = r.client->stats().framesSent;
  r.steps(50);
  CHECK_EQ(r.client->stats().framesSent, sent);
  const auto replies = r.sentOfType(wire::Type::kControl);
  CHECK_EQ(replies.size(), static_cast<size_t>(2));
  CHECK_EQ(text(replies[1].payload, 4), std::string(R"J({"ok":true,"streaming":false})J"));
}

TEST(onDemandCameraStreamsAtOnceWhenWelcomeSaysStream) {
  Rig r;
  r.config.onDemand = true;
  r.start();
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.client->stats().framesSent >= 1; });
}

TEST(alwaysOnCameraStreamsEvenWithoutTheStreamFlag) {
  Rig r;
  r.config.onDemand = false;
  r.start();
  r.stepUntil([&] { return r.client->state() == State::kHelloSent; });
  r.link.relaySends(welcome(false));
  r.stepUntil([&] { return r.client->stats().framesSent >= 1; });
  const auto hello = r.sentOfType(wire::Type::kHello)[0];
  CHECK_EQ(wire::readU32(hello.payload.data() + 1), wire::kCapControl);  // ON_DEMAND not advertised
}

TEST(controlCommandIsAppliedAndAnsweredWithItsRequestIdAndReplyFlag) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  r.link.relaySends(control(0xDEADBEEF, R"J({"cmd":"quality","value":20})J"));
  r.stepUntil([&] { return r.client->stats().controlCommands == 1; });
  const auto replies = r.sentOfType(wire::Type::kControl);
  CHECK_EQ(replies.size(), static_cast<size_t>(1));
  CHECK_EQ(replies[0].header.flags, wire::kFlagReply);
  CHECK_EQ(wire::readU32(replies[0].payload.data()), 0xDEADBEEFu);
  CHECK_EQ(text(replies[0].payload, 4), std::string(R"J({"ok":true,"quality":20})J"));
  CHECK(r.camera.applied == std::vector<std::string>{"quality=20"});
  CHECK(r.log.contains(R"J(control 3735928559: {"cmd":"quality","value":20} -> {"ok":true,"quality":20})J"));
}

TEST(controlCommandTooLargeForTheBufferGetsAnErrorReplyAndTheSessionGoesOn) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  r.link.relaySends(control(5, "{\"cmd\":\"status\",\"pad\":\"" + std::string(3000, 'x') + "\"}"));
  r.link.relaySends(ping({9}));
  r.stepUntil([&] { return r.client->stats().pingsReceived == 1; });
  const auto replies = r.sentOfType(wire::Type::kControl);
  CHECK_EQ(replies.size(), static_cast<size_t>(1));
  CHECK_EQ(wire::readU32(replies[0].payload.data()), static_cast<uint32_t>(5));
  CHECK_EQ(text(replies[0].payload, 4), std::string(R"J({"ok":false,"error":"command too large (3025 bytes, max 512)"})J"));
  CHECK(r.client->state() == State::kIdle);
}

TEST(statusCommandReportsTheClientsCountersAndTheDevice) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.client->stats().framesSent >= 3; });
  r.link.relaySends(control(3, R"J({"cmd":"status"})J"));
  r.stepUntil([&] { return r.client->stats().controlCommands == 1; });
  const std::string reply = text(r.sentOfType(wire::Type::kControl)[0].payload, 4);
  CHECK_CONTAINS(reply, R"J({"ok":true,"id":"garage","firmware":"camrelay-esp32/test","state":"STREAMING","streaming":true,)J");
  CHECK_CONTAINS(reply, R"J("heap":123456,"rssi":-61})J");
  CHECK_CONTAINS(reply, R"J("quality":12)J");
  CHECK(reply.find("s3cret") == std::string::npos);
}

TEST(aStatusReplyWithEveryBoardFactAtItsLongestFitsTheReplyBuffer) {
  struct BoardLikeDevice : DeviceInfo {  // the fields EspDeviceInfo writes, at their widest
    void writeStatus(JsonWriter& json) override {
      json.key("board").str("Seeed XIAO ESP32S3 Sense");
      json.key("heap").num(4294967295LL).key("minHeap").num(4294967295LL);
      json.key("psram").num(4294967295LL).key("psramSize").num(4294967295LL);
      json.key("rssi").num(-128).key("ip").str("255.255.255.255");
      json.key("resetReason").str("BROWNOUT (supply voltage dropped: use a stronger 5 V supply)");
    }
  } device;
  Rig r;
  r.config.cameraId = "a-camera-id-that-uses-all-sixty-four-characters-allowed-by-v1-ok";
  r.config.firmware = "camrelay-esp32/0.1.0 (Seeed XIAO ESP32S3 Sense) with a long firmware description string";
  r.frames.jpegs = {jpeg(1000, 0x11)};
  r.client.reset(new Client(r.config, r.link, r.clock, r.random, r.frames, r.camera, &device, r.system, r.log,
                            SensorSettings{}));
  r.connectAndWelcome(false);
  r.link.relaySends(control(1, R"J({"cmd":"status"})J"));
  r.stepUntil([&] { return r.client->stats().controlCommands == 1; });
  const std::string reply = text(r.sentOfType(wire::Type::kControl)[0].payload, 4);
  CHECK_CONTAINS(reply, R"J({"ok":true,"id":"a-camera-id-that-uses-all-sixty-four)J");
  CHECK_CONTAINS(reply, R"J("resetReason":"BROWNOUT (supply voltage dropped: use a stronger 5 V supply)"})J");
}

TEST(restartCommandIsAnsweredThenTheBoardRestarts) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  r.link.relaySends(control(8, R"J({"cmd":"restart"})J"));
  r.stepUntil([&] { return !r.system.restarts.empty(); });
  const auto all = r.sent();
  CHECK(all.size() >= 3);
  CHECK_EQ(all[all.size() - 2].header.type, static_cast<uint8_t>(wire::Type::kControl));
  CHECK_EQ(text(all[all.size() - 2].payload, 4), std::string(R"J({"ok":true,"restarting":true})J"));
  CHECK_EQ(all.back().header.type, static_cast<uint8_t>(wire::Type::kBye));  // orderly goodbye first
  CHECK_EQ(r.system.restarts[0], std::string("restart requested by CONTROL"));
}

TEST(answersPingWithPongEchoingItsBytes) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  r.link.relaySends(ping({1, 2, 3, 4, 5, 6, 7, 8}));
  r.stepUntil([&] { return r.client->stats().pingsReceived == 1; });
  const auto pongs = r.sentOfType(wire::Type::kPong);
  CHECK_EQ(pongs.size(), static_cast<size_t>(1));
  CHECK(pongs[0].payload == (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(idleCameraPingsSoTheRelayDoesNotDropItAndDropsARelayThatStaysSilent) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  const uint64_t t0 = r.clock.now;
  r.stepUntil([&] { return r.sentOfType(wire::Type::kPing).size() >= 1; });
  CHECK(r.clock.now - t0 >= 5000000);  // the ping interval
  CHECK(r.clock.now - t0 < 6000000);
  CHECK(r.client->state() == State::kIdle);
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK(r.clock.now - t0 >= 14900000);  // relay liveness limit: 15 s without a byte
  CHECK(r.clock.now - t0 < 16000000);
  CHECK(r.sentOfType(wire::Type::kPing).size() >= 2);
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "relay silent for 15");
}

TEST(pongsFromTheRelayKeepAnIdleSessionAlive) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  for (int i = 0; i < 20; i++) {
    r.clock.advanceMs(r.client->step());
    const size_t pings = r.sentOfType(wire::Type::kPing).size();
    r.stepUntil([&] { return r.sentOfType(wire::Type::kPing).size() > pings; });
    std::vector<uint8_t> pong(64);
    pong.resize(wire::encodePong(pong.data(), pong.size(), nullptr, 0));
    r.link.relaySends(pong);
  }
  CHECK(r.client->state() == State::kIdle);
  CHECK_EQ(r.link.connects, 1);
}

TEST(aStalledFrameSendClosesTheConnectionAndReconnectsAfterABackoff) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.client->stats().framesSent >= 1; });
  r.link.writeBudget = 1500;  // the relay stops reading in the middle of the next frames
  const uint64_t before = r.clock.now;
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK(r.clock.now - before >= 5000000);  // waited the send timeout ...
  CHECK(r.clock.now - before < 6000000);   // ... and not forever
  CHECK_EQ(r.client->stats().sendStalls, static_cast<uint32_t>(1));
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "send stalled");
  CHECK(!r.frames.held);  // the camera buffer went back to the driver
  CHECK_EQ(r.link.closes, 1);

  r.link.writeBudget = SIZE_MAX;
  const uint64_t closedAt = r.clock.now;
  r.stepUntil([&] { return r.link.connects == 2; });
  CHECK(r.clock.now - closedAt >= 500000);  // first backoff: 1 s ceiling, at least half
  CHECK(r.clock.now - closedAt <= 1100000);
}

TEST(failedConnectsBackOffExponentiallyAndASteadySessionResetsTheBackoff) {
  Rig r;
  r.link.refuse = {true, true, true, true, false, true};
  r.start();
  std::vector<uint64_t> attemptTimes;
  int seen = 0;
  for (int i = 0; i < 20000 && r.link.connects < 5; i++) {
    r.clock.advanceMs(r.client->step());
    if (r.link.connects != seen) {
      seen = r.link.connects;
      attemptTimes.push_back(r.clock.now);
    }
  }
  CHECK_EQ(attemptTimes.size(), static_cast<size_t>(5));
  // FixedRandom(0): delays are exactly half the ceiling: 500, 1000, 2000, 4000 ms.
  const uint64_t expected[] = {500000, 1000000, 2000000, 4000000};
  for (int i = 0; i < 4; i++) {
    const uint64_t gap = attemptTimes[i + 1] - attemptTimes[i];
    CHECK(gap >= expected[i] && gap < expected[i] + 20000);
  }
  CHECK_CONTAINS(r.log.all(), "connect to relay.local:3008 failed: connection refused");
  CHECK_EQ(r.client->backoffAttempts(), static_cast<uint32_t>(4));
  // Connected now; a session that lasts (answering pings) resets the backoff.
  r.link.relaySends(welcome(false));
  r.stepUntil([&] { return r.client->state() == State::kIdle; });
  for (int i = 0; i < 3; i++) {
    r.clock.advanceMs(4000);
    r.link.relaySends(ping({}));
    r.steps(2);
  }
  CHECK_EQ(r.client->backoffAttempts(), static_cast<uint32_t>(0));
  r.link.eof = true;  // relay goes away; next connect refused
  r.stepUntil([&] { return r.link.connects == 6; });
  CHECK_EQ(r.client->backoffAttempts(), static_cast<uint32_t>(2));  // the close and the refusal: counting from 0 again
}

TEST(wrongTokenWaitsTheLongestBackoffBeforeTryingAgain) {
  Rig r;
  r.start();
  r.stepUntil([&] { return r.client->state() == State::kHelloSent; });
  r.link.relaySends(reason(wire::Type::kError, wire::kAuthFailed, "authentication failed for camera 'garage'"));
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  const uint64_t at = r.clock.now;
  CHECK_CONTAINS(r.log.all(), "relay sent ERROR 3 AUTH_FAILED: authentication failed for camera 'garage'");
  CHECK_CONTAINS(r.log.all(), "check the camera token");
  r.stepUntil([&] { return r.link.connects == 2; });
  CHECK(r.clock.now - at >= 15000000);  // half of the 30 s maximum, not the 250 ms first step
}

TEST(noWelcomeWithinTheTimeoutReconnects) {
  Rig r;
  r.start();
  r.stepUntil([&] { return r.client->state() == State::kHelloSent; });
  const uint64_t at = r.clock.now;
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK(r.clock.now - at >= 5000000);
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "no WELCOME within 5000 ms");
  const auto errors = r.sentOfType(wire::Type::kError);
  CHECK_EQ(errors.size(), static_cast<size_t>(1));
  CHECK_EQ(wire::readU16(errors[0].payload.data()), static_cast<uint16_t>(wire::kTimeout));
}

TEST(garbageFromTheRelayIsAnsweredWithErrorAndTheConnectionClosed) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  r.link.relaySends({'H', 'T', 'T', 'P', '/', '1', '.', '1'});
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  const auto errors = r.sentOfType(wire::Type::kError);
  CHECK_EQ(errors.size(), static_cast<size_t>(1));
  CHECK_EQ(wire::readU16(errors[0].payload.data()), static_cast<uint16_t>(wire::kProtocolError));
  CHECK_EQ(text(errors[0].payload, 2), std::string("bad magic 48 54 54 50 (looks like HTTP?)"));
  CHECK_EQ(r.link.gracefulCloses, 1);  // half-close and linger so the relay reads the ERROR
  CHECK_EQ(r.link.lastLingerMs, static_cast<uint32_t>(1000));
}

TEST(messagesBeforeWelcomeOrAFrameFromTheRelayAreProtocolErrors) {
  Rig r;
  r.start();
  r.stepUntil([&] { return r.client->state() == State::kHelloSent; });
  r.link.relaySends(control(1, R"J({"cmd":"status"})J"));
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "expected WELCOME, got CONTROL");

  Rig s;
  s.start();
  s.connectAndWelcome(false);
  std::vector<uint8_t> frame(wire::kHeaderSize + 4);
  wire::writeHeader(frame.data(), wire::Type::kFrame, 0, 4, 0, 0);
  s.link.relaySends(frame);
  s.stepUntil([&] { return s.client->state() == State::kDisconnected; });
  CHECK_CONTAINS(s.client->stats().lastDisconnect, "unexpected FRAME from the relay");
}

TEST(relayVersionOtherThanOneIsRefused) {
  Rig r;
  r.start();
  r.stepUntil([&] { return r.client->state() == State::kHelloSent; });
  std::vector<uint8_t> w(64);
  w.resize(wire::encodeWelcome(w.data(), w.size(), 2, 1, 1000));
  r.link.relaySends(w);
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "relay chose protocol version 2; this camera speaks 1");
}

TEST(byeFromTheRelayClosesAndReconnectsWithBackoff) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.link.relaySends(reason(wire::Type::kBye, wire::kShuttingDown, "relay shutting down"));
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "relay sent BYE 9 SHUTTING_DOWN: relay shutting down");
  const size_t firstSession = r.link.outbound.size();
  r.stepUntil([&] { return r.link.connects == 2; });
  r.link.relaySends(welcome(true));
  const uint32_t before = r.client->stats().framesSent;
  r.stepUntil([&] { return r.client->stats().framesSent > before; });
  CHECK_EQ(r.client->stats().sessions, static_cast<uint32_t>(2));
  // The new connection starts again with HELLO, and its frames are numbered from 0.
  const auto second = decodeAll(std::vector<uint8_t>(r.link.outbound.begin() + static_cast<long>(firstSession),
                                                     r.link.outbound.end()));
  CHECK_EQ(second.front().header.type, static_cast<uint8_t>(wire::Type::kHello));
  for (const auto& m : second)
    if (m.header.type == static_cast<uint8_t>(wire::Type::kFrame)) {
      CHECK_EQ(m.header.sequence, static_cast<uint32_t>(0));
      break;
    }
}

TEST(relayClosingTheSocketIsNoticedAndReconnected) {
  Rig r;
  r.start();
  r.connectAndWelcome(false);
  r.link.eof = true;
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "relay closed the connection: end of stream");
  CHECK_EQ(r.link.gracefulCloses, 0);  // nothing of ours to deliver: a plain close
  r.stepUntil([&] { return r.link.connects == 2; });
}

TEST(writeErrorWhileStreamingReconnects) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.client->stats().framesSent >= 1; });
  r.link.failWrites = true;
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "write failed: connection reset by peer");
  CHECK(!r.frames.held);
}

TEST(wifiLossClosesAtOnceAndReconnectsAsSoonAsItIsBackWithoutBackoff) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.link.network = false;
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK_CONTAINS(r.client->stats().lastDisconnect, "network down");
  r.steps(100);
  CHECK_EQ(r.link.connects, 1);  // no attempts while Wi-Fi is down
  r.link.network = true;
  const uint64_t back = r.clock.now;
  r.stepUntil([&] { return r.link.connects == 2; });
  CHECK(r.clock.now - back <= 1000);
}

TEST(nullFrameBuffersAreRetriedThenTheCameraIsReinitialisedThenTheBoardRestarts) {
  Rig r;
  r.start();
  r.frames.alwaysFail = true;
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.frames.reinits == 1; });
  CHECK_EQ(r.frames.acquires, 5);
  r.stepUntil([&] { return !r.system.restarts.empty(); });
  CHECK_EQ(r.frames.reinits, 3);
  CHECK_EQ(r.frames.acquires, 20);
  CHECK_EQ(r.system.restarts[0], std::string("camera gives no frames"));
  CHECK(r.log.contains("camera: re-init done"));
  CHECK(r.sentOfType(wire::Type::kBye).size() == 1);
}

TEST(aFrameAfterFailuresResetsTheCaptureGuard) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  const uint32_t sent = r.client->stats().framesSent;
  r.frames.failNext = 4;
  r.stepUntil([&] { return r.client->stats().framesSent >= sent + 1; });
  r.frames.failNext = 4;
  r.stepUntil([&] { return r.client->stats().framesSent >= sent + 2; });
  CHECK_EQ(r.frames.reinits, 0);
  CHECK_EQ(r.client->stats().captureFailures, static_cast<uint32_t>(8));
}

TEST(framesThatAreNotCompleteJpegsOrExceedTheRelaysMaxAreDropped) {
  Rig r;
  r.start();
  std::vector<uint8_t> truncated = jpeg(500, 0x44);
  truncated[499] = 0x00;  // no EOI
  r.frames.jpegs = {truncated, jpeg(2000, 0x55), jpeg(600, 0x66)};
  r.stepUntil([&] { return r.client->state() == State::kHelloSent; });
  r.link.relaySends(welcome(true, 1000));  // max payload 1000 bytes
  r.stepUntil([&] { return r.frames.acquires >= 6; });
  const auto frames = r.sentOfType(wire::Type::kFrame);
  CHECK(!frames.empty());
  for (const auto& f : frames) CHECK(f.payload == r.frames.jpegs[2]);
  CHECK(r.client->stats().framesDropped >= 4);
  CHECK(r.log.contains("larger than the relay's max 1000"));
  CHECK(r.log.contains("not a complete JPEG"));
}

TEST(fpsCapSpacesFramesEvenly) {
  Rig r;
  r.config.maxFps = 10;
  r.start();
  r.connectAndWelcome(true);
  const uint64_t t0 = r.clock.now;
  r.stepUntil([&] { return r.client->stats().framesSent >= 21; });
  const uint64_t elapsed = r.clock.now - t0;
  CHECK(elapsed >= 2000000);  // 20 intervals of 100 ms
  CHECK(elapsed < 2200000);
  r.clock.advanceMs(3000);
  r.steps(1);
  CHECK(r.client->stats().fpsTenths > 0);
}

TEST(theTokenNeverAppearsInTheLog) {
  Rig r;
  r.link.refuse = {true};
  r.start();
  r.stepUntil([&] { return r.link.connects == 2; });
  r.link.relaySends(welcome(true));
  r.stepUntil([&] { return r.client->stats().framesSent >= 2; });
  r.link.relaySends(control(1, R"J({"cmd":"status"})J"));
  r.link.relaySends(reason(wire::Type::kError, wire::kAuthFailed, "authentication failed"));
  r.stepUntil([&] { return r.client->state() == State::kDisconnected; });
  CHECK(r.log.lines.size() > 5);
  CHECK(r.log.all().find("s3cret") == std::string::npos);
}

TEST(anInvalidCameraIdIsAConfigurationErrorAndNothingIsSent) {
  for (const char* id : {"garage door", ".", ".."}) {
    Rig r;
    r.config.cameraId = id;
    r.start();
    CHECK(r.client->configError() != nullptr);
    r.steps(30);
    CHECK_EQ(r.link.connects, 0);
    CHECK_CONTAINS(r.log.all(), "not connecting: invalid camera id: want 1..64 of A-Z a-z 0-9 . _ -, not . or ..");
  }
}

TEST(stopSaysByeAndCloses) {
  Rig r;
  r.start();
  r.connectAndWelcome(true);
  r.client->stop("shutting down");
  CHECK(r.client->state() == State::kDisconnected);
  const auto byes = r.sentOfType(wire::Type::kBye);
  CHECK_EQ(byes.size(), static_cast<size_t>(1));
  CHECK_EQ(text(byes[0].payload, 2), std::string("shutting down"));
  CHECK(!r.link.open);
  CHECK_EQ(r.link.gracefulCloses, 1);
}

TEST(inputArrivingOneByteAtATimeIsHandledTheSame) {
  Rig r;
  r.link.maxPerRead = 1;
  r.start();
  r.connectAndWelcome(false);
  r.link.relaySends(control(77, R"J({"cmd":"vflip","value":true})J"));
  r.stepUntil([&] { return r.client->stats().controlCommands == 1; });
  CHECK_EQ(text(r.sentOfType(wire::Type::kControl)[0].payload, 4), std::string(R"J({"ok":true,"vflip":true})J"));
}

TEST(smallWritesStillDeliverWholeFramesInOrder) {
  Rig r;
  r.link.maxPerWrite = 7;  // a congested socket taking a few bytes at a time
  r.start();
  r.connectAndWelcome(true);
  r.stepUntil([&] { return r.client->stats().framesSent >= 4; });
  const auto frames = r.sentOfType(wire::Type::kFrame);
  CHECK(frames.size() >= 4);
  for (size_t i = 0; i < frames.size(); i++) CHECK(frames[i].payload == r.frames.jpegs[i % 3]);
}
