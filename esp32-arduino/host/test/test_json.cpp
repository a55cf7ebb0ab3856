// The bounded command parser and reply writer.
#include <cstring>

#include "fakes.h"
#include "harness.h"

using namespace camrelay;

namespace {
struct Parsed {
  bool ok;
  Command cmd;
  std::string error;
};
Parsed parse(const std::string& json) {
  Parsed p;
  char err[120] = {0};
  p.ok = parseCommand(json.data(), json.size(), &p.cmd, err, sizeof err);
  p.error = err;
  return p;
}
}  // namespace

TEST(parsesTheDocumentedCommandShapes) {
  Parsed p = parse(R"J({"cmd":"quality","value":12})J");
  CHECK(p.ok);
  CHECK_EQ(std::string(p.cmd.cmd), std::string("quality"));
  CHECK(p.cmd.value.kind == JsonValue::Kind::kInt);
  CHECK_EQ(p.cmd.value.i, 12);

  p = parse(R"J({"cmd":"framesize","value":"VGA"})J");
  CHECK(p.ok && p.cmd.value.kind == JsonValue::Kind::kString);
  CHECK_EQ(std::string(p.cmd.value.str), std::string("VGA"));

  p = parse(R"J({"cmd":"stream","on":true})J");
  CHECK(p.ok && p.cmd.on.kind == JsonValue::Kind::kBool && p.cmd.on.b);
  CHECK(p.cmd.value.kind == JsonValue::Kind::kAbsent);

  p = parse(R"J({"cmd":"brightness","value":-2})J");
  CHECK(p.ok && p.cmd.value.i == -2);

  p = parse(R"J({"cmd":"status"})J");
  CHECK(p.ok && p.cmd.value.kind == JsonValue::Kind::kAbsent);
}

TEST(acceptsWhitespaceEscapesAndUnicodeAnywhereJsonAllowsThem) {
  Parsed p = parse(" \r\n\t{ \"cmd\" :\t\"fr\\u0061mesize\" , \"value\" : \"\\\"q\\\\\\/\\u00e9\\ud83d\\udcf7\" }\n");
  CHECK(p.ok);
  CHECK_EQ(std::string(p.cmd.cmd), std::string("framesize"));
  CHECK_EQ(std::string(p.cmd.value.str), std::string("\"q\\/\xC3\xA9\xF0\x9F\x93\xB7"));
}

TEST(ignoresUnknownMembersIncludingNestedOnes) {
  Parsed p = parse(R"J({"id":7,"meta":{"from":["viewer",1,2.5e3,null,true,{}],"x":[]},"cmd":"led","value":0,"z":null})J");
  CHECK(p.ok);
  CHECK_EQ(std::string(p.cmd.cmd), std::string("led"));
  CHECK_EQ(p.cmd.value.i, 0);
}

TEST(keepsNonIntegerNumbersAsOtherSoCommandsCanRejectThem) {
  CHECK(parse(R"J({"cmd":"quality","value":12.5})J").cmd.value.kind == JsonValue::Kind::kOther);
  CHECK(parse(R"J({"cmd":"quality","value":1e2})J").cmd.value.kind == JsonValue::Kind::kOther);
  CHECK(parse(R"J({"cmd":"quality","value":99999999999})J").cmd.value.kind == JsonValue::Kind::kOther);
  CHECK(parse(R"J({"cmd":"quality","value":2147483648})J").cmd.value.kind == JsonValue::Kind::kOther);
  Parsed p = parse(R"J({"cmd":"quality","value":-2147483648})J");
  CHECK(p.cmd.value.kind == JsonValue::Kind::kInt && p.cmd.value.i == INT32_MIN);
  p = parse(R"J({"cmd":"quality","value":2147483647})J");
  CHECK(p.cmd.value.kind == JsonValue::Kind::kInt && p.cmd.value.i == INT32_MAX);
}

TEST(malformedJsonIsRejectedWithTheOffsetAndWhatWasExpected) {
  CHECK_EQ(parse(R"J({"cmd" "quality"})J").error, std::string("malformed JSON at offset 7: expected ':'"));
  CHECK_EQ(parse(R"J({"cmd":"quality",})J").error, std::string("malformed JSON at offset 17: expected '\"'"));
  CHECK_EQ(parse(R"J({"cmd":"quality"} x)J").error,
           std::string("malformed JSON at offset 18: trailing characters after the object"));
  CHECK_EQ(parse(R"J({"cmd":"quality","value":01})J").error, std::string("malformed JSON at offset 26: expected '}'"));
  CHECK_EQ(parse(R"J({"cmd":"qu)J").error, std::string("malformed JSON at offset 10: unterminated string"));
  CHECK_EQ(parse(R"J({"cmd":tru})J").error, std::string("malformed JSON at offset 7: unexpected character"));
  CHECK_EQ(parse(R"J({"cmd":"a\x"})J").error, std::string("malformed JSON at offset 10: bad escape '\\x'"));
  CHECK_EQ(parse("{\"cmd\":\"a\nb\"}").error, std::string("malformed JSON at offset 9: control character in string"));
  CHECK_EQ(parse(R"J({"cmd":"\ud83d"})J").error, std::string("malformed JSON at offset 14: lone surrogate"));
  CHECK_EQ(parse(R"J({"cmd":"\u0000"})J").error, std::string("malformed JSON at offset 14: \\u0000 is not allowed"));
  CHECK_EQ(parse(R"J({"cmd":-})J").error, std::string("malformed JSON at offset 8: bad number"));
  CHECK_EQ(parse(R"J(["cmd"])J").error, std::string("malformed JSON at offset 0: expected a JSON object"));
  CHECK_EQ(parse("").error, std::string("empty command"));
  CHECK_EQ(parse("   ").error, std::string("empty command"));
}

TEST(rejectsDuplicatesMissingCmdWrongTypesAndOversizedValues) {
  CHECK_EQ(parse(R"J({"cmd":"a","cmd":"b"})J").error, std::string("duplicate \"cmd\""));
  CHECK_EQ(parse(R"J({"cmd":"quality","value":1,"value":2})J").error, std::string("duplicate \"value\""));
  CHECK_EQ(parse(R"J({"value":1})J").error, std::string("missing \"cmd\""));
  CHECK_EQ(parse(R"J({})J").error, std::string("missing \"cmd\""));
  CHECK_EQ(parse(R"J({"cmd":12})J").error, std::string("\"cmd\" must be a string"));
  CHECK_EQ(parse(R"J({"cmd":"abcdefghijklmnopqrstuvwxyz"})J").error, std::string("\"cmd\" is too long"));
  CHECK_EQ(parse("{\"cmd\":\"framesize\",\"value\":\"" + std::string(60, 'V') + "\"}").error,
           std::string("\"value\" is too long"));
}

TEST(rejectsInputOverTheSizeLimitOrDeeperThanEightLevels) {
  const std::string big = "{\"cmd\":\"status\",\"pad\":\"" + std::string(600, ' ') + "\"}";
  CHECK_EQ(parse(big).error, std::string("command too large (" + std::to_string(big.size()) + " bytes, max 512)"));
  std::string deep = "{\"cmd\":\"status\",\"x\":";
  for (int i = 0; i < 9; i++) deep += "[";
  for (int i = 0; i < 9; i++) deep += "]";
  deep += "}";
  CHECK_CONTAINS(parse(deep).error, "nested deeper than 8 levels");
  std::string ok = "{\"cmd\":\"status\",\"x\":";
  for (int i = 0; i < 7; i++) ok += "[";
  for (int i = 0; i < 7; i++) ok += "]";
  ok += "}";
  CHECK(parse(ok).ok);
}

TEST(rejectsInvalidUtf8BeforeParsing) {
  CHECK_EQ(parse("{\"cmd\":\"\xC3\x28\"}").error, std::string("command is not valid UTF-8 (offset 8)"));
}

TEST(randomMutationsOfValidCommandsNeverCrashTheParser) {
  const std::string seeds[] = {R"J({"cmd":"quality","value":12})J", R"J({"cmd":"stream","on":true,"x":[1,{"a":null}]})J",
                               R"J({"cmd":"framesize","value":"\u0041VGA"})J"};
  fakes::SequenceRandom rnd;
  const char alphabet[] = "{}[]\":,\\u0123456789-+.eEtrufalsn \x01\xC3\xA9\xFF";
  for (int round = 0; round < 20000; round++) {
    std::string s = seeds[round % 3];
    const int edits = 1 + static_cast<int>(rnd.next() % 4);
    for (int e = 0; e < edits; e++) {
      const size_t at = rnd.next() % (s.size() + 1);
      const char c = alphabet[rnd.next() % (sizeof alphabet - 1)];
      switch (rnd.next() % 3) {
        case 0: if (at < s.size()) s[at] = c; break;
        case 1: s.insert(at, 1, c); break;
        default: if (at < s.size()) s.erase(at, 1); break;
      }
    }
    Command cmd;
    char err[120];
    if (!parseCommand(s.data(), s.size(), &cmd, err, sizeof err)) CHECK(strlen(err) > 0);
    else CHECK(strlen(cmd.cmd) < sizeof cmd.cmd);
  }
}

TEST(writerEscapesStringsAndBuildsOneObject) {
  char buf[128];
  JsonWriter w(buf, sizeof buf);
  w.key("ok").boolean(false).key("error").str("bad \"x\"\\\n").key("n").num(-5).key("fps").tenths(125);
  CHECK_EQ(std::string(buf, w.finish()), std::string(R"J({"ok":false,"error":"bad \"x\"\\\n","n":-5,"fps":12.5})J"));
  CHECK_EQ(w.finish(), strlen(buf));  // idempotent
}

TEST(writerReportsOverflowInsteadOfWritingPastItsBuffer) {
  char buf[24];
  std::memset(buf, 'Z', sizeof buf);
  JsonWriter w(buf, 16);
  w.key("error").str("this does not fit");
  CHECK(w.overflowed());
  CHECK_EQ(w.finish(), static_cast<size_t>(0));
  for (size_t i = 16; i < sizeof buf; i++) CHECK_EQ(buf[i], 'Z');
}
