// Test-only JSON reader (heap allowed here) for frame-protocol/golden/manifest.json.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace minijson {

struct Value {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Value> arr;
  std::map<std::string, Value> obj;

  bool has(const std::string& k) const { return kind == kObject && obj.count(k) > 0; }
  const Value& operator[](const std::string& k) const {
    auto it = obj.find(k);
    if (kind != kObject || it == obj.end()) throw std::runtime_error("manifest: missing key " + k);
    return it->second;
  }
  uint64_t u64() const {
    if (kind != kNumber) throw std::runtime_error("manifest: not a number");
    return static_cast<uint64_t>(num);
  }
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  Value parse() {
    Value v = value();
    ws();
    if (i_ != s_.size()) throw std::runtime_error("manifest: trailing data");
    return v;
  }

 private:
  void ws() { while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) i_++; }
  char next() {
    if (i_ >= s_.size()) throw std::runtime_error("manifest: unexpected end");
    return s_[i_++];
  }
  Value value() {
    ws();
    Value v;
    const char c = s_.at(i_);
    if (c == '{') {
      i_++;
      v.kind = Value::kObject;
      ws();
      if (s_.at(i_) == '}') { i_++; return v; }
      for (;;) {
        ws();
        std::string k = string();
        ws();
        if (next() != ':') throw std::runtime_error("manifest: expected ':'");
        v.obj[k] = value();
        ws();
        const char d = next();
        if (d == '}') return v;
        if (d != ',') throw std::runtime_error("manifest: expected ','");
      }
    }
    if (c == '[') {
      i_++;
      v.kind = Value::kArray;
      ws();
      if (s_.at(i_) == ']') { i_++; return v; }
      for (;;) {
        v.arr.push_back(value());
        ws();
        const char d = next();
        if (d == ']') return v;
        if (d != ',') throw std::runtime_error("manifest: expected ','");
      }
    }
    if (c == '"') {
      v.kind = Value::kString;
      v.str = string();
      return v;
    }
    if (s_.compare(i_, 4, "true") == 0) { i_ += 4; v.kind = Value::kBool; v.b = true; return v; }
    if (s_.compare(i_, 5, "false") == 0) { i_ += 5; v.kind = Value::kBool; return v; }
    if (s_.compare(i_, 4, "null") == 0) { i_ += 4; return v; }
    size_t end = i_;
    while (end < s_.size() && (isdigit(static_cast<unsigned char>(s_[end])) || s_[end] == '-' || s_[end] == '.' ||
                               s_[end] == 'e' || s_[end] == 'E' || s_[end] == '+')) end++;
    if (end == i_) throw std::runtime_error("manifest: bad value");
    v.kind = Value::kNumber;
    v.num = std::stod(s_.substr(i_, end - i_));
    i_ = end;
    return v;
  }
  std::string string() {
    if (next() != '"') throw std::runtime_error("manifest: expected string");
    std::string out;
    for (;;) {
      char c = next();
      if (c == '"') return out;
      if (c == '\\') {
        char e = next();
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'u': {
            unsigned cp = std::stoul(s_.substr(i_, 4), nullptr, 16);
            i_ += 4;
            if (cp < 0x80) out += static_cast<char>(cp);
            else throw std::runtime_error("manifest: non-ASCII \\u escape not supported");
            break;
          }
          default: out += e;
        }
      } else {
        out += c;
      }
    }
  }
  const std::string& s_;
  size_t i_ = 0;
};

inline Value parse(const std::string& s) { return Parser(s).parse(); }

}  // namespace minijson
