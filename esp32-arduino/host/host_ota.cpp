#include "host_ota.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char e = s[++i];
      out += e == 't' ? '\t' : e == 'n' ? '\n' : e;
    } else {
      out += s[i];
    }
  }
  return out;
}

constexpr size_t kMaxBuffered = 1 << 20;  // pause the transfer beyond this (the updater drains 16 KB per step)

}  // namespace

FileKeyValueStore::FileKeyValueStore(std::string path) : path_(std::move(path)) {
  if (path_.empty()) return;
  std::ifstream in(path_);
  std::string line;
  while (std::getline(in, line)) {
    const size_t a = line.find('\t'), b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    entries_[unescape(line.substr(0, a))] = Entry{line.substr(a + 1, b - a - 1) == "i", unescape(line.substr(b + 1))};
  }
}

bool FileKeyValueStore::save() {
  if (path_.empty()) return true;
  const std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& [key, e] : entries_) out << escape(key) << '\t' << (e.isInt ? "i" : "s") << '\t' << escape(e.value) << '\n';
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path_.c_str()) == 0;
}

camrelay::KeyValueStore::Read FileKeyValueStore::getString(const char* key, char* out, size_t cap) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return Read::kAbsent;
  if (it->second.isInt || it->second.value.size() + 1 > cap) return Read::kInvalid;
  std::memcpy(out, it->second.value.c_str(), it->second.value.size() + 1);
  return Read::kOk;
}

camrelay::KeyValueStore::Read FileKeyValueStore::getInt(const char* key, int32_t* out) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return Read::kAbsent;
  if (!it->second.isInt) return Read::kInvalid;
  *out = static_cast<int32_t>(std::strtol(it->second.value.c_str(), nullptr, 10));
  return Read::kOk;
}

bool FileKeyValueStore::putString(const char* key, const char* value) {
  entries_[key] = Entry{false, value};
  return save();
}

bool FileKeyValueStore::putInt(const char* key, int32_t value) {
  entries_[key] = Entry{true, std::to_string(value)};
  return save();
}

bool FileKeyValueStore::remove(const char* key) {
  entries_.erase(key);
  return save();
}

bool FileKeyValueStore::eraseAll() {
  entries_.clear();
  return save();
}

CurlDownload::CurlDownload() : multi_(curl_multi_init()) {}

CurlDownload::~CurlDownload() {
  close();
  curl_multi_cleanup(multi_);
}

size_t CurlDownload::onBody(char* data, size_t size, size_t count, void* self) {
  auto* d = static_cast<CurlDownload*>(self);
  if (d->buffer_.size() - d->bufferPos_ > kMaxBuffered) {
    d->paused_ = true;
    return CURL_WRITEFUNC_PAUSE;
  }
  d->headersDone_ = true;
  d->buffer_.insert(d->buffer_.end(), data, data + size * count);
  return size * count;
}

size_t CurlDownload::onHeader(char* data, size_t size, size_t count, void* self) {
  auto* d = static_cast<CurlDownload*>(self);
  const size_t n = size * count;
  if (n <= 2 && (n == 0 || data[0] == '\r' || data[0] == '\n')) d->headersDone_ = true;  // the blank line
  return n;
}

bool CurlDownload::pump(uint32_t waitMs) {
  int running = 0;
  curl_multi_perform(multi_, &running);
  if (running > 0 && waitMs > 0) {
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(waitMs), nullptr);
    curl_multi_perform(multi_, &running);
  }
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
    if (msg->msg == CURLMSG_DONE) {
      done_ = true;
      result_ = msg->data.result;
    }
  }
  return !done_;
}

bool CurlDownload::open(const char* url, int64_t* contentLength) {
  close();
  easy_ = curl_easy_init();
  buffer_.clear();
  bufferPos_ = 0;
  headersDone_ = done_ = paused_ = false;
  result_ = CURLE_OK;
  curl_easy_setopt(easy_, CURLOPT_URL, url);
  curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &CurlDownload::onBody);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &CurlDownload::onHeader);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  curl_multi_add_handle(multi_, easy_);
  // Until the response headers are in (or the transfer ended), bounded by the connect timeout and a response
  // timeout of 10 s.
  for (int i = 0; i < 300 && !headersDone_ && pump(50);) i++;
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  if (done_ && result_ != CURLE_OK) {
    error_ = curl_easy_strerror(result_);
    close();
    return false;
  }
  if (!headersDone_ && !done_) {
    error_ = "no response within 15 s";
    close();
    return false;
  }
  if (status != 200) {
    error_ = "HTTP " + std::to_string(status);
    close();
    return false;
  }
  curl_off_t length = -1;
  curl_easy_getinfo(easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  *contentLength = length;
  return true;
}

int CurlDownload::read(uint8_t* buf, size_t cap, uint32_t waitMs) {
  if (easy_ == nullptr) return kFailed;
  if (bufferPos_ == buffer_.size() && !done_) pump(waitMs);
  if (bufferPos_ < buffer_.size()) {
    const size_t n = std::min(cap, buffer_.size() - bufferPos_);
    std::memcpy(buf, buffer_.data() + bufferPos_, n);
    bufferPos_ += n;
    if (bufferPos_ == buffer_.size()) {
      buffer_.clear();
      bufferPos_ = 0;
      if (paused_) {
        paused_ = false;
        curl_easy_pause(easy_, CURLPAUSE_CONT);
      }
    }
    return static_cast<int>(n);
  }
  if (!done_) return 0;
  if (result_ == CURLE_OK) return kEnd;
  error_ = curl_easy_strerror(result_);
  return kFailed;
}

void CurlDownload::close() {
  if (easy_ == nullptr) return;
  curl_multi_remove_handle(multi_, easy_);
  curl_easy_cleanup(easy_);
  easy_ = nullptr;
}

FileFirmware::FileFirmware(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) return;
  const std::string state = readState();
  if (state == "new") {
    writeState("pending");
    bootEvent_ = "first boot of the new image";
  } else if (state == "pending") {
    writeState("aborted");  // started again without confirming: the bootloader gives up on it
    bootEvent_ = "rolled back";
  }
}

std::string FileFirmware::readState() {
  std::ifstream in(dir_ + "/boot-state");
  std::string s;
  in >> s;
  return s;
}

void FileFirmware::writeState(const std::string& state) {
  std::ofstream out(dir_ + "/boot-state", std::ios::trunc);
  out << state << '\n';
}

size_t FileFirmware::capacity() { return dir_.empty() ? 0 : 16u * 1024 * 1024; }

bool FileFirmware::begin(size_t size) {
  abort();
  part_ = std::fopen((dir_ + "/next.bin.part").c_str(), "wb");
  if (part_ == nullptr) {
    error_ = "cannot create " + dir_ + "/next.bin.part";
    return false;
  }
  expected_ = size;
  written_ = 0;
  return true;
}

bool FileFirmware::write(const uint8_t* data, size_t len) {
  if (part_ == nullptr || std::fwrite(data, 1, len, part_) != len) {
    error_ = "write failed";
    return false;
  }
  written_ += len;
  return true;
}

bool FileFirmware::finish() {
  if (part_ == nullptr || written_ != expected_) {
    error_ = "premature end";
    return false;
  }
  const bool ok = std::fclose(part_) == 0;
  part_ = nullptr;
  if (!ok || std::rename((dir_ + "/next.bin.part").c_str(), (dir_ + "/next.bin").c_str()) != 0) {
    error_ = "cannot complete " + dir_ + "/next.bin";
    return false;
  }
  writeState("new");
  return true;
}

void FileFirmware::abort() {
  if (part_ != nullptr) std::fclose(part_);
  part_ = nullptr;
  if (!dir_.empty()) std::remove((dir_ + "/next.bin.part").c_str());
}

bool FileFirmware::pendingVerify() { return !dir_.empty() && readState() == "pending"; }

bool FileFirmware::markValid() {
  writeState("valid");
  return true;
}

void FileFirmware::rollBack() {
  writeState("aborted");
  rollbackRequested_ = true;
}
