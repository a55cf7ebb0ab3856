// The same golden vectors as frame-protocol's Java tests (frame-protocol/golden/manifest.json + *.hex):
// every valid vector decodes to the manifest's messages (whole, byte by byte, in odd chunks) and re-encodes to
// the very same bytes; every invalid vector fails with the manifest's error code at the manifest's stage.
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fakes.h"
#include "harness.h"
#include "minijson.h"

using namespace camrelay;

namespace {

std::string goldenDir() {
  const char* dir = std::getenv("CAMRELAY_GOLDEN_DIR");
  return dir ? dir : "../../frame-protocol/golden";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw harness::Failure("cannot read " + path + " (set CAMRELAY_GOLDEN_DIR to frame-protocol/golden)");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<uint8_t> readHex(const std::string& path) {
  std::istringstream in(slurp(path));
  std::vector<uint8_t> out;
  std::string line;
  while (std::getline(in, line)) {
    std::string hex;
    for (char c : line) {
      if (c == '#') break;
      if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
    }
    if (hex.size() % 2 != 0) throw harness::Failure(path + ": odd number of hex digits on a line");
    for (size_t i = 0; i < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::vector<uint8_t> fromHex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

const minijson::Value& manifest() {
  static minijson::Value m = minijson::parse(slurp(goldenDir() + "/manifest.json"));
  return m;
}

struct Decoded {
  std::vector<fakes::Sent> messages;
  uint32_t skipped = 0;
  bool failed = false;
  uint16_t code = 0;
  std::string message;
  size_t failedAfterBytes = 0;  // bytes fed in total when the error came
};

// Feeds `bytes` in chunks of `chunk` bytes (0 = all at once).
Decoded decode(const std::vector<uint8_t>& bytes, size_t chunk) {
  static std::vector<uint8_t> buffer(64 * 1024);
  wire::Decoder d(buffer.data(), buffer.size(), static_cast<uint32_t>(manifest()["maxPayload"].u64()));
  fakes::Collect c;
  Decoded out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t n = chunk == 0 ? bytes.size() - pos : std::min(chunk, bytes.size() - pos);
    const auto r = d.feed(bytes.data() + pos, n, c);
    if (r == wire::Decoder::Result::kError) {
      out.failed = true;
      out.code = d.error().code;
      out.message = d.error().message;
      out.failedAfterBytes = pos + d.consumed();
      break;
    }
    CHECK(d.consumed() == n);
    pos += n;
  }
  if (!out.failed) CHECK(!d.midMessage());
  out.messages = c.messages;
  out.skipped = d.skippedMessages();
  return out;
}

std::string str(const char* p, size_t n) { return std::string(p, n); }

// Checks one decoded message against the manifest entry; returns its re-encoding.
std::vector<uint8_t> encodeSkipped(const minijson::Value& e) {  // an unknown type, encoded generically
  const std::vector<uint8_t> payload = fromHex(e["payloadHex"].str);
  std::vector<uint8_t> out(wire::kHeaderSize);
  wire::writeHeader(out.data(), static_cast<wire::Type>(e["typeCode"].u64()), static_cast<uint16_t>(e["flags"].u64()),
                    static_cast<uint32_t>(payload.size()), static_cast<uint32_t>(e["sequence"].u64()),
                    e["timestamp"].u64());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

bool isSkipped(const minijson::Value& e) { return e.has("skipped") && e["skipped"].b; }

std::vector<const minijson::Value*> delivered(const minijson::Value& v) {
  std::vector<const minijson::Value*> out;
  for (const auto& e : v["expected"]["messages"].arr)
    if (!isSkipped(e)) out.push_back(&e);
  return out;
}

std::vector<uint8_t> checkAndReencode(const std::string& vector, const fakes::Sent& m, const minijson::Value& e) {
  const std::string where = vector + ": ";
  CHECK_EQ(std::string(wire::typeName(m.header.type)), e["type"].str);
  CHECK_EQ(static_cast<uint64_t>(m.header.type), e["typeCode"].u64());
  CHECK_EQ(static_cast<uint64_t>(m.header.flags), e["flags"].u64());
  CHECK_EQ(static_cast<uint64_t>(m.header.sequence), e["sequence"].u64());
  CHECK_EQ(m.header.timestampUs, e["timestamp"].u64());
  CHECK_EQ(static_cast<uint64_t>(m.header.length), e["payloadLength"].u64());
  CHECK_EQ(static_cast<uint64_t>(m.payload.size()), e["payloadLength"].u64());

  std::vector<uint8_t> out(wire::kHeaderSize + m.payload.size() + 64);
  size_t n = 0;
  wire::Error err{};
  const uint8_t* p = m.payload.data();
  const size_t len = m.payload.size();
  switch (static_cast<wire::Type>(m.header.type)) {
    case wire::Type::kHello: {
      wire::HelloView h{};
      if (!wire::parseHello(p, len, &h, &err)) harness::fail(__FILE__, __LINE__, where + err.message);
      const minijson::Value& x = e["hello"];
      CHECK_EQ(static_cast<uint64_t>(h.maxVersion), x["maxVersion"].u64());
      CHECK_EQ(static_cast<uint64_t>(h.capabilities), x["capabilities"].u64());
      CHECK_EQ(str(h.cameraId, h.cameraIdLen), x["cameraId"].str);
      CHECK_EQ(str(h.token, h.tokenLen), x["token"].str);
      CHECK_EQ(str(h.firmware, h.firmwareLen), x["firmware"].str);
      const std::vector<uint8_t> trailing = e.has("trailingHex") ? fromHex(e["trailingHex"].str) : std::vector<uint8_t>();
      CHECK_EQ(std::vector<uint8_t>(h.trailing, h.trailing + h.trailingLen) == trailing, true);
      const std::string id = x["cameraId"].str, token = x["token"].str, fw = x["firmware"].str;
      wire::Hello enc{static_cast<uint8_t>(x["maxVersion"].u64()), static_cast<uint32_t>(x["capabilities"].u64()),
                      id.c_str(), token.c_str(), fw.c_str(), trailing.data(), trailing.size()};
      n = wire::encodeHello(out.data(), out.size(), enc);
      break;
    }
    case wire::Type::kWelcome: {
      wire::WelcomeView w{};
      CHECK(wire::parseWelcome(p, len, &w, &err));
      const minijson::Value& x = e["welcome"];
      CHECK_EQ(static_cast<uint64_t>(w.version), x["version"].u64());
      CHECK_EQ(static_cast<uint64_t>(w.flags), x["flags"].u64());
      CHECK_EQ(static_cast<uint64_t>(w.maxPayload), x["maxPayload"].u64());
      n = wire::encodeWelcome(out.data(), out.size(), w.version, w.flags, w.maxPayload);
      break;
    }
    case wire::Type::kControl: {
      wire::ControlView c{};
      if (!wire::parseControl(p, len, m.header.flags, &c, &err)) harness::fail(__FILE__, __LINE__, where + err.message);
      const minijson::Value& x = e["control"];
      CHECK_EQ(static_cast<uint64_t>(c.requestId), x["requestId"].u64());
      CHECK_EQ(str(c.json, c.jsonLen), x["json"].str);
      CHECK_EQ(c.reply, x["reply"].b);
      n = wire::encodeControl(out.data(), out.size(), c.requestId, x["json"].str.data(), x["json"].str.size(),
                              x["reply"].b);
      break;
    }
    case wire::Type::kFrame:
    case wire::Type::kPing:
    case wire::Type::kPong: {
      CHECK(m.payload == fromHex(e["payloadHex"].str));
      const wire::Type t = static_cast<wire::Type>(m.header.type);
      if (t == wire::Type::kFrame) {
        wire::writeHeader(out.data(), t, 0, static_cast<uint32_t>(len), m.header.sequence, m.header.timestampUs);
        std::copy(m.payload.begin(), m.payload.end(), out.begin() + wire::kHeaderSize);
        n = wire::kHeaderSize + len;
      } else {
        n = (t == wire::Type::kPing ? wire::encodePing : wire::encodePong)(out.data(), out.size(), p, len);
      }
      break;
    }
    case wire::Type::kBye:
    case wire::Type::kError: {
      wire::ReasonView r{};
      CHECK(wire::parseReason(p, len, &r, &err));
      const minijson::Value& x = e["reason"];
      CHECK_EQ(static_cast<uint64_t>(r.code), x["code"].u64());
      CHECK_EQ(str(r.reason, r.reasonLen), x["reason"].str);
      n = wire::encodeReason(out.data(), out.size(), static_cast<wire::Type>(m.header.type), r.code,
                             x["reason"].str.c_str());
      break;
    }
  }
  CHECK(n > 0);
  out.resize(n);
  return out;
}

// Runs a payload-stage check: returns the error code the payload parser reports (0 = parsed fine).
uint16_t payloadError(const fakes::Sent& m, std::string* message) {
  wire::Error err{};
  bool ok = true;
  const uint8_t* p = m.payload.data();
  const size_t n = m.payload.size();
  switch (static_cast<wire::Type>(m.header.type)) {
    case wire::Type::kHello: { wire::HelloView v{}; ok = wire::parseHello(p, n, &v, &err); break; }
    case wire::Type::kWelcome: { wire::WelcomeView v{}; ok = wire::parseWelcome(p, n, &v, &err); break; }
    case wire::Type::kControl: { wire::ControlView v{}; ok = wire::parseControl(p, n, m.header.flags, &v, &err); break; }
    case wire::Type::kBye:
    case wire::Type::kError: { wire::ReasonView v{}; ok = wire::parseReason(p, n, &v, &err); break; }
    default: break;
  }
  *message = err.message;
  return ok ? 0 : err.code;
}

bool isValidVector(const minijson::Value& v) { return v["expected"].has("messages"); }

}  // namespace

TEST(goldenManifestIsPresentAndListsValidAndInvalidVectors) {
  const minijson::Value& m = manifest();
  CHECK_EQ(m["protocolVersion"].u64(), static_cast<uint64_t>(1));
  size_t valid = 0, invalid = 0;
  for (const auto& v : m["vectors"].arr) (isValidVector(v) ? valid : invalid)++;
  CHECK(valid >= 10);
  CHECK(invalid >= 5);
}

TEST(goldenValidVectorsDecodeToTheManifestMessagesHoweverTheBytesAreChunked) {
  for (const auto& v : manifest()["vectors"].arr) {
    if (!isValidVector(v)) continue;
    const std::vector<uint8_t> bytes = readHex(goldenDir() + "/" + v["file"].str);
    const auto expected = delivered(v);
    for (size_t chunk : {size_t(0), size_t(1), size_t(7), size_t(23), size_t(24), size_t(25), size_t(1000)}) {
      const Decoded d = decode(bytes, chunk);
      if (d.failed) harness::fail(__FILE__, __LINE__, v["name"].str + ": " + d.message);
      if (d.messages.size() != expected.size()) {
        harness::fail(__FILE__, __LINE__, v["name"].str + " in chunks of " + std::to_string(chunk) + ": " +
                                              std::to_string(d.messages.size()) + " messages, expected " +
                                              std::to_string(expected.size()));
      }
      CHECK_EQ(static_cast<uint64_t>(d.skipped), v["expected"]["skipped"].u64());
      for (size_t i = 0; i < expected.size(); i++) checkAndReencode(v["name"].str, d.messages[i], *expected[i]);
    }
  }
}

TEST(goldenValidVectorsReencodeToExactlyTheSameBytes) {
  int checked = 0;
  for (const auto& v : manifest()["vectors"].arr) {
    if (!isValidVector(v)) continue;
    const std::vector<uint8_t> bytes = readHex(goldenDir() + "/" + v["file"].str);
    const Decoded d = decode(bytes, 0);
    std::vector<uint8_t> again;
    size_t next = 0;
    for (const auto& e : v["expected"]["messages"].arr) {
      const std::vector<uint8_t> one = isSkipped(e) ? encodeSkipped(e) : checkAndReencode(v["name"].str, d.messages.at(next++), e);
      again.insert(again.end(), one.begin(), one.end());
    }
    if (again != bytes) harness::fail(__FILE__, __LINE__, v["name"].str + ": re-encoding differs from the vector");
    checked++;
  }
  CHECK(checked >= 10);
}

TEST(goldenInvalidVectorsFailWithTheManifestErrorCodeAtTheManifestStage) {
  int checked = 0;
  for (const auto& v : manifest()["vectors"].arr) {
    if (isValidVector(v)) continue;
    const minijson::Value& e = v["expected"];
    const std::vector<uint8_t> bytes = readHex(goldenDir() + "/" + v["file"].str);
    for (size_t chunk : {size_t(0), size_t(1), size_t(5)}) {
      const Decoded d = decode(bytes, chunk);
      if (e["stage"].str == "decoder") {
        if (!d.failed) harness::fail(__FILE__, __LINE__, v["name"].str + ": decoder accepted an invalid stream");
        if (d.code != e["error"].u64()) {
          harness::fail(__FILE__, __LINE__, v["name"].str + ": code " + std::to_string(d.code) + " (" + d.message +
                                                ") != " + std::to_string(e["error"].u64()));
        }
        CHECK(d.failedAfterBytes <= wire::kHeaderSize);  // from the header alone: no payload read or buffered
        CHECK(d.messages.empty());
      } else {
        CHECK_EQ(e["stage"].str, std::string("payload"));
        if (d.failed) harness::fail(__FILE__, __LINE__, v["name"].str + ": framing failed: " + d.message);
        CHECK_EQ(d.messages.size(), static_cast<size_t>(1));
        std::string message;
        const uint16_t code = payloadError(d.messages[0], &message);
        if (code != e["error"].u64()) {
          harness::fail(__FILE__, __LINE__, v["name"].str + ": payload code " + std::to_string(code) + " (" +
                                                message + ") != " + std::to_string(e["error"].u64()));
        }
      }
    }
    checked++;
  }
  CHECK(checked >= 5);
}
