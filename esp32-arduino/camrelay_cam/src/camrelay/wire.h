// Framed camera protocol v1 (frame-protocol/PROTOCOL.md is the normative spec): encoder and incremental decoder.
//
// Portable C++ (no Arduino, no heap): encoders write into caller buffers, the decoder keeps a caller-owned
// payload buffer and hands out each message as soon as its last byte arrives.
//
//  0       4       5       6       8              12         16                    24
//  +-------+-------+-------+-------+--------------+----------+---------------------+
//  | "CRLY"|version| type  | flags |payload length| sequence | timestamp (us, u64) |  then `length` payload bytes
//  +-------+-------+-------+-------+--------------+----------+---------------------+   (all integers big-endian)
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace camrelay {
namespace wire {

constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderSize = 24;
constexpr size_t kMaxPingPayload = 64;        // PING, PONG
constexpr uint32_t kMaxSmallPayload = 4096;    // HELLO, WELCOME, BYE, ERROR
constexpr uint32_t kMaxControlPayload = 65536; // CONTROL
constexpr size_t kMaxCameraIdLength = 64;
constexpr uint32_t kDefaultMaxPayload = 4u * 1024u * 1024u;

// Message type codes.
enum class Type : uint8_t {
  kHello = 0x01,
  kWelcome = 0x02,
  kFrame = 0x10,
  kControl = 0x20,
  kPing = 0x30,
  kPong = 0x31,
  kBye = 0x40,
  kError = 0x41,
};

// Header flags.
constexpr uint16_t kFlagMustUnderstand = 0x8000;
constexpr uint16_t kFlagReply = 0x0001;  // CONTROL only: this is a reply

// HELLO capability bits.
constexpr uint32_t kCapOnDemand = 1u << 0;
constexpr uint32_t kCapControl = 1u << 1;

// WELCOME flag bits.
constexpr uint8_t kWelcomeStream = 1u << 0;

// ERROR / BYE codes.
enum Code : uint16_t {
  kNormal = 0,
  kProtocolError = 1,
  kUnsupported = 2,
  kAuthFailed = 3,
  kTooLarge = 4,
  kTimeout = 5,
  kBadFrame = 6,
  kControlUnsupported = 7,
  kRateLimited = 8,
  kShuttingDown = 9,
  kReplaced = 10,
};

const char* typeName(uint8_t type);  // "HELLO", ..., or "UNKNOWN"
const char* codeName(uint16_t code); // "AUTH_FAILED", ..., or "UNKNOWN"
bool isKnownType(uint8_t type);

// Camera ids: 1..64 characters of [A-Za-z0-9._-], and not "." or ".." (PROTOCOL.md, Java CameraId).
bool isValidCameraId(const char* id, size_t len);
// The rule in words, short enough for an Error message next to a 24-character id.
inline constexpr char kCameraIdRule[] = "1..64 of A-Z a-z 0-9 . _ -, not . or ..";
// Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF). On failure *badOffset is the first bad byte.
bool isValidUtf8(const uint8_t* s, size_t len, size_t* badOffset);

// The per-type payload limit (PROTOCOL.md section 9); UINT32_MAX for FRAME and unknown types.
uint32_t typeLimit(uint8_t type);

uint16_t readU16(const uint8_t* p);
uint32_t readU32(const uint8_t* p);
uint64_t readU64(const uint8_t* p);
void writeU16(uint8_t* p, uint16_t v);
void writeU32(uint8_t* p, uint32_t v);
void writeU64(uint8_t* p, uint64_t v);

struct Header {
  uint8_t version;
  uint8_t type;
  uint16_t flags;
  uint32_t length;
  uint32_t sequence;
  uint64_t timestampUs;
};

// ---- Encoders. Each returns the number of bytes written, or 0 when the message does not fit in `cap`
// ---- or a field is invalid. Non-FRAME messages carry sequence 0 and timestamp 0.

void writeHeader(uint8_t out[kHeaderSize], Type type, uint16_t flags, uint32_t length, uint32_t sequence,
                 uint64_t timestampUs);

struct Hello {
  uint8_t maxVersion;
  uint32_t capabilities;
  const char* cameraId;  // 1..64 chars of [A-Za-z0-9._-], not "." or ".."
  const char* token;     // may be "" (no token); at most 255 bytes
  const char* firmware;  // may be ""; at most 255 bytes
  const uint8_t* extension = nullptr;  // trailing v1 extension bytes (none today)
  size_t extensionLen = 0;
};
size_t encodeHello(uint8_t* out, size_t cap, const Hello& hello);
size_t encodeWelcome(uint8_t* out, size_t cap, uint8_t version, uint8_t flags, uint32_t maxPayload);
size_t encodeControl(uint8_t* out, size_t cap, uint32_t requestId, const char* json, size_t jsonLen, bool reply);
size_t encodePing(uint8_t* out, size_t cap, const uint8_t* data, size_t len);  // len <= 64
size_t encodePong(uint8_t* out, size_t cap, const uint8_t* data, size_t len);  // len <= 64
// BYE or ERROR; a reason longer than what fits is cut (at a UTF-8 character boundary).
size_t encodeReason(uint8_t* out, size_t cap, Type byeOrError, uint16_t code, const char* reason);

// ---- Payload views (no copies: pointers into the message payload).

struct Error {
  uint16_t code;     // a Code
  char message[96];  // what is wrong, e.g. "unsupported protocol version 2"
};

struct HelloView {
  uint8_t maxVersion;
  uint32_t capabilities;
  const char* cameraId; size_t cameraIdLen;
  const char* token; size_t tokenLen;
  const char* firmware; size_t firmwareLen;
  const uint8_t* trailing; size_t trailingLen;  // v1 extension bytes, ignored
};
struct WelcomeView {
  uint8_t version;
  uint8_t flags;
  uint32_t maxPayload;
};
struct ControlView {
  uint32_t requestId;
  const char* json; size_t jsonLen;
  bool reply;
};
struct ReasonView {
  uint16_t code;
  const char* reason; size_t reasonLen;
};

// Each returns false and fills `err` (code PROTOCOL_ERROR) when the payload is malformed.
bool parseHello(const uint8_t* p, size_t n, HelloView* out, Error* err);
bool parseWelcome(const uint8_t* p, size_t n, WelcomeView* out, Error* err);
bool parseControl(const uint8_t* p, size_t n, uint16_t headerFlags, ControlView* out, Error* err);
bool parseReason(const uint8_t* p, size_t n, ReasonView* out, Error* err);

// ---- Incremental decoder: bytes in (any chunking), messages out.

struct Message {
  Header header;
  const uint8_t* payload;  // valid only during the callback
  size_t payloadSize;      // bytes available at `payload` (< header.length when truncated)
  bool truncated;          // the payload was longer than the decoder's buffer; only its start is kept
};

class MessageSink {
 public:
  // Return false to stop decoding (the rest of the chunk stays unread; Decoder::feed reports kStopped).
  virtual bool onMessage(const Message& message) = 0;

 protected:
  ~MessageSink() = default;
};

class Decoder {
 public:
  enum class Result { kOk, kStopped, kError };

  // `buffer` holds one payload; longer (but allowed) payloads are delivered truncated, never overflowing it.
  // `maxPayload` is the largest length accepted at all: a header announcing more fails with TOO_LARGE
  // from the header alone, before any payload is read.
  Decoder(uint8_t* buffer, size_t bufferSize, uint32_t maxPayload);

  // Consumes `len` bytes (fewer when a sink stops or on error: see consumed()).
  Result feed(const uint8_t* data, size_t len, MessageSink& sink);
  size_t consumed() const { return consumed_; }
  const Error& error() const { return error_; }  // after kError; the decoder stays failed until reset()
  uint32_t skippedMessages() const { return skipped_; }
  bool midMessage() const { return headerFill_ != 0 || inPayload_; }
  void reset();

 private:
  bool fail(uint16_t code, const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 3, 4)))
#endif
      ;
  bool checkHeaderPrefix();  // early checks: magic after 4 bytes, version after 5
  bool acceptHeader();

  uint8_t* buffer_;
  size_t bufferSize_;
  uint32_t maxPayload_;
  uint8_t headerBytes_[kHeaderSize];
  size_t headerFill_ = 0;
  Header header_{};
  bool inPayload_ = false;
  bool skipping_ = false;
  uint32_t payloadRead_ = 0;
  bool failed_ = false;
  size_t consumed_ = 0;
  uint32_t skipped_ = 0;
  Error error_{};
};

}  // namespace wire
}  // namespace camrelay
