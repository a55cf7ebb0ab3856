#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ports.h"
#include "wire.h"

namespace camrelay {

namespace {

constexpr int kMaxDepth = 8;

class Reader {
 public:
  Reader(const char* s, size_t n, char* err, size_t errCap) : s_(s), n_(n), err_(err), errCap_(errCap) {}

  bool fail(const char* fmt, ...) CAMRELAY_PRINTF(2, 3) {
    if (failed_) return false;
    failed_ = true;
    char what[64];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    if (errCap_ > 0) snprintf(err_, errCap_, "malformed JSON at offset %u: %s", static_cast<unsigned>(pos_), what);
    return false;
  }

  void ws() {
    while (pos_ < n_ && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) pos_++;
  }
  bool atEnd() const { return pos_ >= n_; }
  char peek() const { return pos_ < n_ ? s_[pos_] : '\0'; }

  bool expect(char c) {
    if (peek() != c || atEnd()) return fail("expected '%c'", c);
    pos_++;
    return true;
  }

  // Reads a string into out (when out != nullptr); *tooLong is set when it did not fit (the rest is still read).
  bool string(char* out, size_t cap, bool* tooLong) {
    if (!expect('"')) return false;
    size_t len = 0;
    if (tooLong) *tooLong = false;
    auto put = [&](char c) {
      if (out == nullptr) return;
      if (len + 1 < cap) {
        out[len++] = c;
      } else if (tooLong) {
        *tooLong = true;
      }
    };
    for (;;) {
      if (atEnd()) return fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        pos_++;
        break;
      }
      if (c < 0x20) return fail("control character in string");
      if (c != '\\') {
        put(static_cast<char>(c));
        pos_++;
        continue;
      }
      pos_++;
      if (atEnd()) return fail("unterminated escape");
      const char e = s_[pos_++];
      switch (e) {
        case '"': put('"'); break;
        case '\\': put('\\'); break;
        case '/': put('/'); break;
        case 'b': put('\b'); break;
        case 'f': put('\f'); break;
        case 'n': put('\n'); break;
        case 'r': put('\r'); break;
        case 't': put('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
            if (pos_ + 1 >= n_ || s_[pos_] != '\\' || s_[pos_ + 1] != 'u') return fail("lone surrogate");
            pos_ += 2;
            uint32_t lo = 0;
            if (!hex4(&lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("lone surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("lone surrogate");
          }
          if (cp == 0) return fail("\\u0000 is not allowed");
          char utf8[4];
          size_t k = 0;
          if (cp < 0x80) {
            utf8[k++] = static_cast<char>(cp);
          } else if (cp < 0x800) {
            utf8[k++] = static_cast<char>(0xC0 | (cp >> 6));
            utf8[k++] = static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            utf8[k++] = static_cast<char>(0xE0 | (cp >> 12));
            utf8[k++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            utf8[k++] = static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            utf8[k++] = static_cast<char>(0xF0 | (cp >> 18));
            utf8[k++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            utf8[k++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            utf8[k++] = static_cast<char>(0x80 | (cp & 0x3F));
          }
          for (size_t j = 0; j < k; j++) put(utf8[j]);
          break;
        }
        default:
          pos_--;
          return fail("bad escape '\\%c'", e);
      }
    }
    if (out != nullptr && cap > 0) out[len] = '\0';
    return true;
  }

  bool hex4(uint32_t* cp) {
    if (n_ - pos_ < 4) return fail("short \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
      else return fail("bad \\u escape");
    }
    *cp = v;
    return true;
  }

  bool literal(const char* word) {
    const size_t k = strlen(word);
    if (n_ - pos_ < k || memcmp(s_ + pos_, word, k) != 0) return fail("unexpected character");
    pos_ += k;
    return true;
  }

  bool number(JsonValue* out) {
    const size_t start = pos_;
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      pos_++;
    }
    if (atEnd() || peek() < '0' || peek() > '9') return fail("bad number");
    int64_t v = 0;
    bool overflow = false;
    if (peek() == '0') {
      pos_++;
    } else {
      while (!atEnd() && peek() >= '0' && peek() <= '9') {
        v = v * 10 + (peek() - '0');
        if (v > 2147483648LL) overflow = true, v = 2147483648LL;
        pos_++;
      }
    }
    bool integer = true;
    if (peek() == '.' && !atEnd()) {
      integer = false;
      pos_++;
      if (atEnd() || peek() < '0' || peek() > '9') return fail("bad number");
      while (!atEnd() && peek() >= '0' && peek() <= '9') pos_++;
    }
    if ((peek() == 'e' || peek() == 'E') && !atEnd()) {
      integer = false;
      pos_++;
      if (peek() == '+' || peek() == '-') pos_++;
      if (atEnd() || peek() < '0' || peek() > '9') return fail("bad number");
      while (!atEnd() && peek() >= '0' && peek() <= '9') pos_++;
    }
    (void)start;
    if (out == nullptr) return true;
    if (!integer || overflow || (!negative && v > 2147483647LL)) {
      out->kind = JsonValue::Kind::kOther;  // not a 32-bit integer: commands reject it with their own message
    } else {
      out->kind = JsonValue::Kind::kInt;
      out->i = static_cast<int32_t>(negative ? -v : v);
    }
    return true;
  }

  // Parses any value; keeps it in out when out != nullptr.
  bool value(JsonValue* out, int depth, bool* tooLong) {
    ws();
    if (atEnd()) return fail("value expected");
    const char c = peek();
    if (c == '"') {
      if (out) out->kind = JsonValue::Kind::kString;
      return string(out ? out->str : nullptr, out ? sizeof out->str : 0, tooLong);
    }
    if (c == 't' || c == 'f') {
      if (!literal(c == 't' ? "true" : "false")) return false;
      if (out) {
        out->kind = JsonValue::Kind::kBool;
        out->b = c == 't';
      }
      return true;
    }
    if (c == 'n') {
      if (!literal("null")) return false;
      if (out) out->kind = JsonValue::Kind::kNull;
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    if (c == '{' || c == '[') {
      if (out) out->kind = JsonValue::Kind::kOther;
      if (depth >= kMaxDepth) return fail("nested deeper than %d levels", kMaxDepth);
      return c == '{' ? skipObject(depth + 1) : skipArray(depth + 1);
    }
    return fail("unexpected character");
  }

  bool skipObject(int depth) {
    if (!expect('{')) return false;
    ws();
    if (peek() == '}' && !atEnd()) {
      pos_++;
      return true;
    }
    for (;;) {
      ws();
      if (!string(nullptr, 0, nullptr)) return false;
      ws();
      if (!expect(':')) return false;
      if (!value(nullptr, depth, nullptr)) return false;
      ws();
      if (peek() == ',' && !atEnd()) {
        pos_++;
        continue;
      }
      return expect('}');
    }
  }

  bool skipArray(int depth) {
    if (!expect('[')) return false;
    ws();
    if (peek() == ']' && !atEnd()) {
      pos_++;
      return true;
    }
    for (;;) {
      if (!value(nullptr, depth, nullptr)) return false;
      ws();
      if (peek() == ',' && !atEnd()) {
        pos_++;
        continue;
      }
      return expect(']');
    }
  }

  size_t pos_ = 0;
  const char* s_;
  size_t n_;
  char* err_;
  size_t errCap_;
  bool failed_ = false;
};

void setError(char* error, size_t cap, const char* fmt, ...) CAMRELAY_PRINTF(3, 4);
void setError(char* error, size_t cap, const char* fmt, ...) {
  if (cap == 0) return;
  va_list args;
  va_start(args, fmt);
  vsnprintf(error, cap, fmt, args);
  va_end(args);
}

}  // namespace

bool parseCommand(const char* json, size_t len, Command* out, char* error, size_t errorCap) {
  *out = Command{};
  if (len > kMaxCommandInput) {
    setError(error, errorCap, "command too large (%u bytes, max %u)", static_cast<unsigned>(len),
             static_cast<unsigned>(kMaxCommandInput));
    return false;
  }
  size_t bad = 0;
  if (!wire::isValidUtf8(reinterpret_cast<const uint8_t*>(json), len, &bad)) {
    setError(error, errorCap, "command is not valid UTF-8 (offset %u)", static_cast<unsigned>(bad));
    return false;
  }
  Reader r(json, len, error, errorCap);
  r.ws();
  if (r.atEnd() || r.peek() != '{') {
    if (!r.atEnd()) return r.fail("expected a JSON object");
    setError(error, errorCap, "empty command");
    return false;
  }
  r.pos_++;
  struct Kept {
    const char* name;
    JsonValue* value;  // kept as a value ...
    char* text;        // ... or as a string of at most cap - 1 bytes
    size_t cap;
    bool seen;
  };
  Kept kept[] = {
      {"cmd", nullptr, out->cmd, sizeof out->cmd, false},
      {"value", &out->value, nullptr, 0, false},
      {"on", &out->on, nullptr, 0, false},
      {"size", &out->size, nullptr, 0, false},
      {"url", nullptr, out->url, sizeof out->url, false},
      {"sha256", nullptr, out->sha256, sizeof out->sha256, false},
      {"version", nullptr, out->version, sizeof out->version, false},
      {"token", nullptr, out->token, sizeof out->token, false},
  };
  r.ws();
  if (r.peek() == '}' && !r.atEnd()) {
    r.pos_++;
  } else {
    for (;;) {
      r.ws();
      char key[24];
      bool keyTooLong = false;
      if (!r.string(key, sizeof key, &keyTooLong)) return false;
      r.ws();
      if (!r.expect(':')) return false;
      Kept* k = nullptr;
      for (Kept& candidate : kept) {
        if (!keyTooLong && strcmp(key, candidate.name) == 0) k = &candidate;
      }
      if (k != nullptr && k->seen) {
        setError(error, errorCap, "duplicate \"%s\"", key);
        return false;
      }
      bool tooLong = false;
      if (k == nullptr) {
        if (!r.value(nullptr, 1, nullptr)) return false;
      } else if (k->value != nullptr) {
        k->seen = true;
        if (!r.value(k->value, 1, &tooLong)) return false;
        if (tooLong) {
          setError(error, errorCap, "\"%s\" is too long", key);
          return false;
        }
      } else {
        k->seen = true;
        r.ws();
        if (r.peek() != '"' || r.atEnd()) {
          if (!r.value(nullptr, 1, nullptr)) return false;  // still report malformed JSON first
          setError(error, errorCap, "\"%s\" must be a string", key);
          return false;
        }
        if (!r.string(k->text, k->cap, &tooLong)) return false;
        if (tooLong) {
          if (k->cap > 64) {
            setError(error, errorCap, "\"%s\" is too long (max %u bytes)", key, static_cast<unsigned>(k->cap - 1));
          } else {
            setError(error, errorCap, "\"%s\" is too long", key);
          }
          return false;
        }
      }
      r.ws();
      if (r.peek() == ',' && !r.atEnd()) {
        r.pos_++;
        continue;
      }
      if (!r.expect('}')) return false;
      break;
    }
  }
  r.ws();
  if (!r.atEnd()) return r.fail("trailing characters after the object");
  if (!kept[0].seen) {
    setError(error, errorCap, "missing \"cmd\"");
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------- writer

JsonWriter::JsonWriter(char* buf, size_t cap) : buf_(buf), cap_(cap) { raw("{", 1); }

void JsonWriter::raw(const char* s, size_t n) {
  if (overflow_) return;
  if (cap_ - len_ < n + 1) {  // keep room for the NUL
    overflow_ = true;
    return;
  }
  memcpy(buf_ + len_, s, n);
  len_ += n;
  buf_[len_] = '\0';
}

void JsonWriter::valuePrefix() {
  if (afterKey_) {
    afterKey_ = false;  // the value of a member: the comma went before its key
    return;
  }
  if (needComma_) raw(",", 1);
  needComma_ = true;
}

void JsonWriter::quoted(const char* value, size_t len) {
  raw("\"", 1);
  for (size_t i = 0; i < len; i++) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      const char esc[2] = {'\\', static_cast<char>(c)};
      raw(esc, 2);
    } else if (c == '\n' || c == '\r' || c == '\t') {
      const char esc[2] = {'\\', c == '\n' ? 'n' : (c == '\r' ? 'r' : 't')};
      raw(esc, 2);
    } else if (c < 0x20) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", c);
      raw(esc, 6);
    } else {
      raw(reinterpret_cast<const char*>(&value[i]), 1);
    }
  }
  raw("\"", 1);
}

JsonWriter& JsonWriter::key(const char* name) {
  if (needComma_) raw(",", 1);
  quoted(name, strlen(name));
  raw(":", 1);
  afterKey_ = true;
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::str(const char* value) { return str(value, value ? strlen(value) : 0); }

JsonWriter& JsonWriter::str(const char* value, size_t len) {
  valuePrefix();
  quoted(value, len);
  return *this;
}

JsonWriter& JsonWriter::num(int64_t value) {
  valuePrefix();
  char digits[24];
  const int n = snprintf(digits, sizeof digits, "%lld", static_cast<long long>(value));
  raw(digits, static_cast<size_t>(n));
  return *this;
}

JsonWriter& JsonWriter::tenths(int64_t t) {
  valuePrefix();
  char digits[32];
  const bool neg = t < 0;
  const unsigned long long a = neg ? static_cast<unsigned long long>(-t) : static_cast<unsigned long long>(t);
  const int n = snprintf(digits, sizeof digits, "%s%llu.%llu", neg ? "-" : "", a / 10, a % 10);
  raw(digits, static_cast<size_t>(n));
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  valuePrefix();
  raw(value ? "true" : "false", value ? 4 : 5);
  return *this;
}

size_t JsonWriter::finish() {
  if (!finished_) {
    raw("}", 1);
    finished_ = true;
  }
  return overflow_ ? 0 : len_;
}

}  // namespace camrelay
