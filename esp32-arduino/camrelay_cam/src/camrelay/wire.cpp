#include "wire.h"

#include "ports.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace camrelay {
namespace wire {

namespace {
const uint8_t kMagic[4] = {'C', 'R', 'L', 'Y'};

size_t boundedStrlen(const char* s, size_t max) {
  if (s == nullptr) return 0;
  size_t n = 0;
  while (n <= max && s[n] != '\0') n++;
  return n;
}

void formatInto(Error* err, uint16_t code, const char* fmt, ...) CAMRELAY_PRINTF(3, 4);
void formatInto(Error* err, uint16_t code, const char* fmt, ...) {
  if (err == nullptr) return;
  err->code = code;
  va_list args;
  va_start(args, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, args);
  va_end(args);
}
}  // namespace

const char* typeName(uint8_t type) {
  switch (static_cast<Type>(type)) {
    case Type::kHello: return "HELLO";
    case Type::kWelcome: return "WELCOME";
    case Type::kFrame: return "FRAME";
    case Type::kControl: return "CONTROL";
    case Type::kPing: return "PING";
    case Type::kPong: return "PONG";
    case Type::kBye: return "BYE";
    case Type::kError: return "ERROR";
  }
  return "UNKNOWN";
}

bool isKnownType(uint8_t type) { return strcmp(typeName(type), "UNKNOWN") != 0; }

const char* codeName(uint16_t code) {
  static const char* const kNames[] = {"NORMAL",    "PROTOCOL_ERROR", "UNSUPPORTED",         "AUTH_FAILED",
                                       "TOO_LARGE", "TIMEOUT",        "BAD_FRAME",           "CONTROL_UNSUPPORTED",
                                       "RATE_LIMITED", "SHUTTING_DOWN", "REPLACED"};
  return code < sizeof kNames / sizeof kNames[0] ? kNames[code] : "UNKNOWN";
}

bool isValidCameraId(const char* id, size_t len) {
  if (id == nullptr || len == 0 || len > kMaxCameraIdLength) return false;
  for (size_t i = 0; i < len; i++) {
    const char c = id[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  // "." and ".." would name the current or the parent folder in the relay's URL paths and folder names.
  return !(len <= 2 && id[0] == '.' && id[len - 1] == '.');
}

bool isValidUtf8(const uint8_t* s, size_t len, size_t* badOffset) {
  size_t i = 0;
  while (i < len) {
    const uint8_t c = s[i];
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1; cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2; cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3; cp = c & 0x07;
    } else {
      if (badOffset) *badOffset = i;
      return false;
    }
    if (extra > len - i - 1) {  // the sequence runs past the end
      if (badOffset) *badOffset = i;
      return false;
    }
    for (size_t k = 1; k <= extra; k++) {
      if ((s[i + k] & 0xC0) != 0x80) {
        if (badOffset) *badOffset = i;
        return false;
      }
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const bool overlong = (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) {
      if (badOffset) *badOffset = i;
      return false;
    }
    i += extra + 1;
  }
  return true;
}

uint16_t readU16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t readU32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}
uint64_t readU64(const uint8_t* p) { return (static_cast<uint64_t>(readU32(p)) << 32) | readU32(p + 4); }
void writeU16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void writeU32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
void writeU64(uint8_t* p, uint64_t v) {
  writeU32(p, static_cast<uint32_t>(v >> 32));
  writeU32(p + 4, static_cast<uint32_t>(v));
}

// ---------------------------------------------------------------------------------------------------- encoders

void writeHeader(uint8_t out[kHeaderSize], Type type, uint16_t flags, uint32_t length, uint32_t sequence,
                 uint64_t timestampUs) {
  memcpy(out, kMagic, 4);
  out[4] = kVersion;
  out[5] = static_cast<uint8_t>(type);
  writeU16(out + 6, flags);
  writeU32(out + 8, length);
  writeU32(out + 12, sequence);
  writeU64(out + 16, timestampUs);
}

size_t encodeHello(uint8_t* out, size_t cap, const Hello& h) {
  const size_t idLen = boundedStrlen(h.cameraId, kMaxCameraIdLength);
  const size_t tokenLen = boundedStrlen(h.token, 255);
  const size_t fwLen = boundedStrlen(h.firmware, 255);
  if (!isValidCameraId(h.cameraId, idLen) || tokenLen > 255 || fwLen > 255) return 0;
  const size_t payload = 1 + 4 + 1 + idLen + 1 + tokenLen + 1 + fwLen + h.extensionLen;
  if (cap < kHeaderSize + payload) return 0;
  writeHeader(out, Type::kHello, 0, static_cast<uint32_t>(payload), 0, 0);
  uint8_t* p = out + kHeaderSize;
  *p++ = h.maxVersion;
  writeU32(p, h.capabilities);
  p += 4;
  *p++ = static_cast<uint8_t>(idLen);
  memcpy(p, h.cameraId, idLen);
  p += idLen;
  *p++ = static_cast<uint8_t>(tokenLen);
  if (tokenLen) memcpy(p, h.token, tokenLen);
  p += tokenLen;
  *p++ = static_cast<uint8_t>(fwLen);
  if (fwLen) memcpy(p, h.firmware, fwLen);
  p += fwLen;
  if (h.extensionLen) memcpy(p, h.extension, h.extensionLen);
  return kHeaderSize + payload;
}

size_t encodeWelcome(uint8_t* out, size_t cap, uint8_t version, uint8_t flags, uint32_t maxPayload) {
  if (cap < kHeaderSize + 6) return 0;
  writeHeader(out, Type::kWelcome, 0, 6, 0, 0);
  out[kHeaderSize] = version;
  out[kHeaderSize + 1] = flags;
  writeU32(out + kHeaderSize + 2, maxPayload);
  return kHeaderSize + 6;
}

size_t encodeControl(uint8_t* out, size_t cap, uint32_t requestId, const char* json, size_t jsonLen, bool reply) {
  if (cap < kHeaderSize + 4 || cap - kHeaderSize - 4 < jsonLen) return 0;
  writeHeader(out, Type::kControl, reply ? kFlagReply : 0, static_cast<uint32_t>(4 + jsonLen), 0, 0);
  writeU32(out + kHeaderSize, requestId);
  if (jsonLen) memcpy(out + kHeaderSize + 4, json, jsonLen);
  return kHeaderSize + 4 + jsonLen;
}

static size_t encodeOpaque(Type type, uint8_t* out, size_t cap, const uint8_t* data, size_t len) {
  if (len > kMaxPingPayload || cap < kHeaderSize + len) return 0;
  writeHeader(out, type, 0, static_cast<uint32_t>(len), 0, 0);
  if (len) memcpy(out + kHeaderSize, data, len);
  return kHeaderSize + len;
}
size_t encodePing(uint8_t* out, size_t cap, const uint8_t* data, size_t len) {
  return encodeOpaque(Type::kPing, out, cap, data, len);
}
size_t encodePong(uint8_t* out, size_t cap, const uint8_t* data, size_t len) {
  return encodeOpaque(Type::kPong, out, cap, data, len);
}

size_t encodeReason(uint8_t* out, size_t cap, Type byeOrError, uint16_t code, const char* reason) {
  if ((byeOrError != Type::kBye && byeOrError != Type::kError) || cap < kHeaderSize + 2) return 0;
  size_t len = boundedStrlen(reason, cap - kHeaderSize - 2);
  if (len > cap - kHeaderSize - 2) {
    len = cap - kHeaderSize - 2;
    while (len > 0 && (static_cast<uint8_t>(reason[len]) & 0xC0) == 0x80) len--;  // keep whole characters
  }
  writeHeader(out, byeOrError, 0, static_cast<uint32_t>(2 + len), 0, 0);
  writeU16(out + kHeaderSize, code);
  if (len) memcpy(out + kHeaderSize + 2, reason, len);
  return kHeaderSize + 2 + len;
}

// ---------------------------------------------------------------------------------------------------- payloads

bool parseHello(const uint8_t* p, size_t n, HelloView* out, Error* err) {
  if (n < 6) {
    formatInto(err, kProtocolError, "HELLO truncated: %u bytes, need at least 6", static_cast<unsigned>(n));
    return false;
  }
  out->maxVersion = p[0];
  out->capabilities = readU32(p + 1);
  size_t pos = 5;
  struct Field {
    const char* what;
    const char** str;
    size_t* len;
  } fields[] = {{"camera id", &out->cameraId, &out->cameraIdLen},
                {"token", &out->token, &out->tokenLen},
                {"firmware", &out->firmware, &out->firmwareLen}};
  for (Field& f : fields) {
    if (pos >= n) {
      formatInto(err, kProtocolError, "HELLO truncated: %s length missing", f.what);
      return false;
    }
    const size_t len = p[pos++];
    if (len > n - pos) {
      formatInto(err, kProtocolError, "HELLO truncated: %s needs %u bytes, %u left", f.what,
                 static_cast<unsigned>(len), static_cast<unsigned>(n - pos));
      return false;
    }
    *f.str = reinterpret_cast<const char*>(p + pos);
    *f.len = len;
    size_t bad = 0;
    if (!isValidUtf8(p + pos, len, &bad)) {
      formatInto(err, kProtocolError, "HELLO %s is not valid UTF-8", f.what);
      return false;
    }
    pos += len;
  }
  if (!isValidCameraId(out->cameraId, out->cameraIdLen)) {
    formatInto(err, kProtocolError, "invalid camera id '%.*s': want %s",
               static_cast<int>(out->cameraIdLen > 24 ? 24 : out->cameraIdLen), out->cameraId, kCameraIdRule);
    return false;
  }
  out->trailing = p + pos;
  out->trailingLen = n - pos;
  return true;
}

bool parseWelcome(const uint8_t* p, size_t n, WelcomeView* out, Error* err) {
  if (n < 6) {
    formatInto(err, kProtocolError, "WELCOME truncated: %u bytes, need 6", static_cast<unsigned>(n));
    return false;
  }
  out->version = p[0];
  out->flags = p[1];
  out->maxPayload = readU32(p + 2);
  return true;
}

bool parseControl(const uint8_t* p, size_t n, uint16_t headerFlags, ControlView* out, Error* err) {
  if (n < 4) {
    formatInto(err, kProtocolError, "CONTROL truncated: %u bytes, need at least 4", static_cast<unsigned>(n));
    return false;
  }
  out->requestId = readU32(p);
  out->json = reinterpret_cast<const char*>(p + 4);
  out->jsonLen = n - 4;
  out->reply = (headerFlags & kFlagReply) != 0;
  size_t bad = 0;
  if (!isValidUtf8(p + 4, n - 4, &bad)) {
    formatInto(err, kProtocolError, "CONTROL JSON is not valid UTF-8 (malformed byte sequence at offset %u)",
               static_cast<unsigned>(bad + 4));
    return false;
  }
  return true;
}

bool parseReason(const uint8_t* p, size_t n, ReasonView* out, Error* err) {
  if (n < 2) {
    formatInto(err, kProtocolError, "reason truncated: %u bytes, need at least 2", static_cast<unsigned>(n));
    return false;
  }
  out->code = readU16(p);
  out->reason = reinterpret_cast<const char*>(p + 2);
  out->reasonLen = n - 2;
  return true;
}

// ---------------------------------------------------------------------------------------------------- decoder

Decoder::Decoder(uint8_t* buffer, size_t bufferSize, uint32_t maxPayload)
    : buffer_(buffer), bufferSize_(bufferSize), maxPayload_(maxPayload) {}

void Decoder::reset() {
  headerFill_ = 0;
  header_ = Header{};
  inPayload_ = false;
  skipping_ = false;
  payloadRead_ = 0;
  failed_ = false;
  consumed_ = 0;
  error_ = Error{};
}

bool Decoder::fail(uint16_t code, const char* fmt, ...) {
  failed_ = true;
  error_.code = code;
  va_list args;
  va_start(args, fmt);
  vsnprintf(error_.message, sizeof error_.message, fmt, args);
  va_end(args);
  return false;
}

bool Decoder::checkHeaderPrefix() {
  if (headerFill_ == 4 && memcmp(headerBytes_, kMagic, 4) != 0) {
    const bool http = memcmp(headerBytes_, "GET ", 4) == 0 || memcmp(headerBytes_, "POST", 4) == 0 ||
                      memcmp(headerBytes_, "HTTP", 4) == 0 || memcmp(headerBytes_, "PUT ", 4) == 0;
    return fail(kProtocolError, "bad magic %02X %02X %02X %02X%s", headerBytes_[0], headerBytes_[1],
                headerBytes_[2], headerBytes_[3], http ? " (looks like HTTP?)" : "");
  }
  if (headerFill_ == 5 && headerBytes_[4] != kVersion) {
    return fail(kUnsupported, "unsupported protocol version %u", headerBytes_[4]);
  }
  return true;
}

uint32_t typeLimit(uint8_t type) {
  switch (static_cast<Type>(type)) {
    case Type::kHello:
    case Type::kWelcome:
    case Type::kBye:
    case Type::kError: return kMaxSmallPayload;
    case Type::kControl: return kMaxControlPayload;
    case Type::kPing:
    case Type::kPong: return kMaxPingPayload;
    case Type::kFrame: return UINT32_MAX;  // only the receiver's maximum applies
  }
  return UINT32_MAX;
}

// PROTOCOL.md section 9: magic -> version -> length <= maximum -> unknown type (MUST_UNDERSTAND?) -> type's limit.
bool Decoder::acceptHeader() {
  header_.version = headerBytes_[4];
  header_.type = headerBytes_[5];
  header_.flags = readU16(headerBytes_ + 6);
  header_.length = readU32(headerBytes_ + 8);
  header_.sequence = readU32(headerBytes_ + 12);
  header_.timestampUs = readU64(headerBytes_ + 16);
  if (header_.length > maxPayload_) {
    return fail(kTooLarge, "payload length %lu exceeds the maximum %lu", static_cast<unsigned long>(header_.length),
                static_cast<unsigned long>(maxPayload_));
  }
  const bool known = isKnownType(header_.type);
  if (!known && (header_.flags & kFlagMustUnderstand)) {
    return fail(kUnsupported, "unknown message type 0x%02X with MUST_UNDERSTAND set", header_.type);
  }
  if (known && header_.length > typeLimit(header_.type)) {
    return fail(kTooLarge, "%s payload length %lu exceeds the maximum %lu", typeName(header_.type),
                static_cast<unsigned long>(header_.length), static_cast<unsigned long>(typeLimit(header_.type)));
  }
  skipping_ = !known;
  inPayload_ = true;
  payloadRead_ = 0;
  return true;
}

Decoder::Result Decoder::feed(const uint8_t* data, size_t len, MessageSink& sink) {
  consumed_ = 0;
  if (failed_) return Result::kError;
  size_t i = 0;
  for (;;) {
    if (!inPayload_) {
      while (headerFill_ < kHeaderSize && i < len) {
        headerBytes_[headerFill_++] = data[i++];
        if (headerFill_ <= 5 && !checkHeaderPrefix()) {
          consumed_ = i;
          return Result::kError;
        }
      }
      if (headerFill_ < kHeaderSize) break;
      if (!acceptHeader()) {
        consumed_ = i;
        return Result::kError;
      }
    }
    // In a payload: copy what fits in the buffer, count (and drop) the rest.
    const uint32_t remaining = header_.length - payloadRead_;
    const size_t take = (len - i) < remaining ? (len - i) : remaining;
    if (!skipping_ && payloadRead_ < bufferSize_) {
      const size_t room = bufferSize_ - payloadRead_;
      const size_t keep = take < room ? take : room;
      if (keep > 0) memcpy(buffer_ + payloadRead_, data + i, keep);
    }
    payloadRead_ += static_cast<uint32_t>(take);
    i += take;
    if (payloadRead_ < header_.length) break;  // need more bytes
    // Message complete.
    inPayload_ = false;
    headerFill_ = 0;
    if (skipping_) {
      skipping_ = false;
      skipped_++;
      continue;
    }
    Message m;
    m.header = header_;
    m.payload = buffer_;
    m.truncated = header_.length > bufferSize_;
    m.payloadSize = m.truncated ? bufferSize_ : header_.length;
    if (!sink.onMessage(m)) {
      consumed_ = i;
      return Result::kStopped;
    }
  }
  consumed_ = i;
  return Result::kOk;
}

}  // namespace wire
}  // namespace camrelay
