// Encoder/decoder behaviour beyond the golden vectors: bounded buffers, chunking, stopping, garbage.
#include "fakes.h"
#include "harness.h"

using namespace camrelay;
using fakes::Collect;

namespace {
std::vector<uint8_t> frameMessage(uint32_t seq, const std::vector<uint8_t>& jpeg) {
  std::vector<uint8_t> b(wire::kHeaderSize);
  wire::writeHeader(b.data(), wire::Type::kFrame, 0, static_cast<uint32_t>(jpeg.size()), seq, 77);
  b.insert(b.end(), jpeg.begin(), jpeg.end());
  return b;
}
std::string hex(const uint8_t* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; i++) s += std::string{d[p[i] >> 4], d[p[i] & 15]};
  return s;
}
}  // namespace

TEST(frameHeaderIsTheDocumentedTwentyFourBigEndianBytes) {
  uint8_t h[wire::kHeaderSize];
  wire::writeHeader(h, wire::Type::kFrame, 0, 0x01020304, 0xA0B0C0D0, 0x0102030405060708ull);
  CHECK_EQ(hex(h, sizeof h), std::string("43524c59" "01" "10" "0000" "01020304" "a0b0c0d0" "0102030405060708"));
}

TEST(helloEncodesIdTokenCapabilitiesAndFirmware) {
  uint8_t b[256];
  const size_t n = wire::encodeHello(b, sizeof b, {1, wire::kCapOnDemand | wire::kCapControl, "cam1", "tk", "fw"});
  CHECK_EQ(hex(b, n), std::string("43524c59" "01" "01" "0000" "00000010" "00000000" "0000000000000000"
                                  "01" "00000003" "04" "63616d31" "02" "746b" "02" "6677"));
}

TEST(helloRefusesInvalidCameraIdsAndBuffersThatAreTooSmall) {
  uint8_t b[256];
  CHECK_EQ(wire::encodeHello(b, sizeof b, {1, 0, "", "", ""}), static_cast<size_t>(0));
  CHECK_EQ(wire::encodeHello(b, sizeof b, {1, 0, "cam 1", "", ""}), static_cast<size_t>(0));
  CHECK_EQ(wire::encodeHello(b, sizeof b, {1, 0, "cam/1", "", ""}), static_cast<size_t>(0));
  const std::string id65(65, 'a');
  CHECK_EQ(wire::encodeHello(b, sizeof b, {1, 0, id65.c_str(), "", ""}), static_cast<size_t>(0));
  const std::string id64(64, 'a');
  CHECK(wire::encodeHello(b, sizeof b, {1, 0, id64.c_str(), "", ""}) > 0);
  const std::string token256(256, 't');
  CHECK_EQ(wire::encodeHello(b, sizeof b, {1, 0, "cam", token256.c_str(), ""}), static_cast<size_t>(0));
  CHECK_EQ(wire::encodeHello(b, 30, {1, 0, "camera", "", ""}), static_cast<size_t>(0));
}

TEST(cameraIdsDotAndDotDotAreRefusedButOtherDottedIdsAreFine) {
  CHECK(!wire::isValidCameraId(".", 1));
  CHECK(!wire::isValidCameraId("..", 2));
  CHECK(!wire::isValidCameraId("..x", 2));  // only the first len characters count
  CHECK(wire::isValidCameraId("...", 3));
  CHECK(wire::isValidCameraId(".a", 2));
  CHECK(wire::isValidCameraId("a.", 2));
  CHECK(wire::isValidCameraId("cam.1", 5));
  uint8_t b[256];
  CHECK_EQ(wire::encodeHello(b, sizeof b, {1, 0, ".", "", ""}), static_cast<size_t>(0));
  CHECK_EQ(wire::encodeHello(b, sizeof b, {1, 0, "..", "", ""}), static_cast<size_t>(0));
  CHECK(wire::encodeHello(b, sizeof b, {1, 0, "...", "", ""}) > 0);
}

TEST(reasonLongerThanTheBufferIsCutAtACharacterBoundary) {
  uint8_t b[wire::kHeaderSize + 2 + 5];
  const size_t n = wire::encodeReason(b, sizeof b, wire::Type::kBye, 0, "abcd\xC3\xA9xyz");  // é straddles the cut
  CHECK_EQ(n, wire::kHeaderSize + 2 + 4);
  CHECK_EQ(wire::readU32(b + 8), static_cast<uint32_t>(6));
  CHECK_EQ(std::string(reinterpret_cast<char*>(b + wire::kHeaderSize + 2), 4), std::string("abcd"));
  CHECK_EQ(wire::encodeReason(b, sizeof b, wire::Type::kFrame, 0, "x"), static_cast<size_t>(0));
}

TEST(pingPayloadOverSixtyFourBytesIsRefusedByTheEncoder) {
  uint8_t data[65] = {0};
  uint8_t b[128];
  CHECK_EQ(wire::encodePing(b, sizeof b, data, 65), static_cast<size_t>(0));
  CHECK_EQ(wire::encodePing(b, sizeof b, data, 64), wire::kHeaderSize + 64);
}

TEST(decoderDeliversAPayloadLongerThanItsBufferTruncatedWithoutOverflowing) {
  std::vector<uint8_t> buf(16 + 8, 0xEE);  // 8 canary bytes after the 16 the decoder may use
  wire::Decoder d(buf.data(), 16, 1000);
  const std::vector<uint8_t> stream = fakes::control(9, std::string(100, 'x'));
  Collect c;
  CHECK(d.feed(stream.data(), stream.size(), c) == wire::Decoder::Result::kOk);
  CHECK_EQ(c.messages.size(), static_cast<size_t>(1));
  CHECK_EQ(c.messages[0].header.length, static_cast<uint32_t>(104));
  CHECK_EQ(c.messages[0].payload.size(), static_cast<size_t>(16));
  CHECK_EQ(wire::readU32(c.messages[0].payload.data()), static_cast<uint32_t>(9));  // the request id survives
  for (size_t i = 16; i < buf.size(); i++) CHECK_EQ(buf[i], static_cast<uint8_t>(0xEE));
}

TEST(decoderRejectsALengthOverItsMaximumFromTheHeaderAlone) {
  uint8_t b[wire::kHeaderSize];
  wire::writeHeader(b, wire::Type::kControl, 0, 1001, 0, 0);
  uint8_t payload[16];
  wire::Decoder d(payload, sizeof payload, 1000);
  Collect c;
  CHECK(d.feed(b, sizeof b, c) == wire::Decoder::Result::kError);
  CHECK_EQ(d.error().code, static_cast<uint16_t>(wire::kTooLarge));
  CHECK_EQ(std::string(d.error().message), std::string("payload length 1001 exceeds the maximum 1000"));
}

TEST(decoderRejectsBadMagicAsSoonAsFourBytesArrive) {
  uint8_t payload[16];
  wire::Decoder d(payload, sizeof payload, 1000);
  Collect c;
  const uint8_t tls[] = {0x16, 0x03, 0x01, 0x00};
  CHECK(d.feed(tls, 3, c) == wire::Decoder::Result::kOk);
  CHECK(d.feed(tls + 3, 1, c) == wire::Decoder::Result::kError);
  CHECK_EQ(d.error().code, static_cast<uint16_t>(wire::kProtocolError));
  CHECK_EQ(std::string(d.error().message), std::string("bad magic 16 03 01 00"));
}

TEST(decoderStaysFailedUntilReset) {
  uint8_t payload[64];
  wire::Decoder d(payload, sizeof payload, 1000);
  Collect c;
  const uint8_t junk[] = {'G', 'E', 'T', ' '};
  CHECK(d.feed(junk, 4, c) == wire::Decoder::Result::kError);
  const std::vector<uint8_t> ok = fakes::ping({1, 2});
  CHECK(d.feed(ok.data(), ok.size(), c) == wire::Decoder::Result::kError);
  d.reset();
  CHECK(d.feed(ok.data(), ok.size(), c) == wire::Decoder::Result::kOk);
  CHECK_EQ(c.messages.size(), static_cast<size_t>(1));
}

TEST(sinkCanStopDecodingInTheMiddleOfAChunk) {
  struct StopAfterFirst : wire::MessageSink {
    bool onMessage(const wire::Message&) override {
      count++;
      return false;
    }
    int count = 0;
  } sink;
  std::vector<uint8_t> two = fakes::ping({1});
  const std::vector<uint8_t> second = fakes::ping({2});
  two.insert(two.end(), second.begin(), second.end());
  uint8_t payload[64];
  wire::Decoder d(payload, sizeof payload, 1000);
  CHECK(d.feed(two.data(), two.size(), sink) == wire::Decoder::Result::kStopped);
  CHECK_EQ(sink.count, 1);
  CHECK_EQ(d.consumed(), second.size());
}

TEST(backToBackFramesSplitAnywhereDecodeToTheSameFrames) {
  const std::vector<uint8_t> j1 = fakes::jpeg(300, 0x11), j2 = fakes::jpeg(5, 0x22);
  std::vector<uint8_t> stream = frameMessage(1, j1);
  const std::vector<uint8_t> m2 = frameMessage(2, j2);
  stream.insert(stream.end(), m2.begin(), m2.end());
  std::vector<uint8_t> payload(1024);
  for (size_t split = 0; split <= stream.size(); split++) {
    wire::Decoder d(payload.data(), payload.size(), wire::kDefaultMaxPayload);
    Collect c;
    CHECK(d.feed(stream.data(), split, c) == wire::Decoder::Result::kOk);
    CHECK(d.feed(stream.data() + split, stream.size() - split, c) == wire::Decoder::Result::kOk);
    CHECK_EQ(c.messages.size(), static_cast<size_t>(2));
    CHECK(c.messages[0].payload == j1);
    CHECK(c.messages[1].payload == j2);
    CHECK_EQ(c.messages[1].header.sequence, static_cast<uint32_t>(2));
  }
}

TEST(utf8ValidatorAcceptsValidTextAndPointsAtTheFirstBadByte) {
  auto check = [](const std::string& s, bool valid, size_t at) {
    size_t bad = 999;
    const bool ok = wire::isValidUtf8(reinterpret_cast<const uint8_t*>(s.data()), s.size(), &bad);
    CHECK_EQ(ok, valid);
    if (!valid) CHECK_EQ(bad, at);
  };
  check("plain ascii", true, 0);
  check("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xB7", true, 0);  // é € 📷
  check("ab\xC3(", false, 2);                                     // bad continuation
  check("\xC0\x80", false, 0);                                    // overlong NUL
  check("\xE0\x80\x80", false, 0);                                // overlong
  check("\xED\xA0\x80", false, 0);                                // surrogate
  check("\xF4\x90\x80\x80", false, 0);                            // > U+10FFFF
  check("ok\xE2\x82", false, 2);                                  // truncated at the end
  check("\xFF", false, 0);
}

TEST(randomBytesNeverCrashTheDecoderAndEveryErrorHasACodeAndMessage) {
  fakes::SequenceRandom rnd;
  uint8_t payload[64];
  for (int round = 0; round < 3000; round++) {
    wire::Decoder d(payload, sizeof payload, 4096);
    Collect c;
    std::vector<uint8_t> bytes(rnd.next() % 200);
    for (auto& b : bytes) b = static_cast<uint8_t>(rnd.next() >> 24);
    if (round % 2 == 0 && bytes.size() >= 6) {  // make half of them get past the magic and version checks
      bytes[0] = 'C'; bytes[1] = 'R'; bytes[2] = 'L'; bytes[3] = 'Y'; bytes[4] = 1;
    }
    const auto r = d.feed(bytes.data(), bytes.size(), c);
    if (r == wire::Decoder::Result::kError) {
      CHECK(d.error().code >= 1 && d.error().code <= 10);
      CHECK(d.error().message[0] != '\0');
    }
    for (const auto& m : c.messages) CHECK(m.payload.size() <= sizeof payload);
  }
}
