// CONTROL commands end to end through the dispatcher, against a fake sensor.
#include "fakes.h"
#include "harness.h"

using namespace camrelay;

namespace {
struct FakeSession : Session {
  void setStreaming(bool on) override { streamingNow = on; }
  bool streaming() const override { return streamingNow; }
  void requestRestart() override { restartRequested = true; }
  void writeStatus(JsonWriter& json) override { json.key("id").str("cam1"); }
  bool streamingNow = false;
  bool restartRequested = false;
};

struct Rig {
  fakes::FakeCamera camera;
  FakeSession session;
  fakes::FakeDevice device;
  CommandDispatcher dispatcher{camera, SensorSettings{}};
  bool ok = false;
  std::string run(const std::string& json) {
    char out[kMaxReply];
    const size_t n = dispatcher.handle(json.data(), json.size(), session, &device, out, sizeof out, &ok);
    return std::string(out, n);
  }
};
}  // namespace

TEST(eachSettingCommandAppliesToTheSensorAndEchoesTheNewValue) {
  Rig r;
  CHECK_EQ(r.run(R"J({"cmd":"framesize","value":"SVGA"})J"),
           std::string(R"J({"ok":true,"framesize":"SVGA","width":800,"height":600})J"));
  CHECK(r.ok);
  CHECK_EQ(r.run(R"J({"cmd":"quality","value":12})J"), std::string(R"J({"ok":true,"quality":12})J"));
  CHECK_EQ(r.run(R"J({"cmd":"brightness","value":1})J"), std::string(R"J({"ok":true,"brightness":1})J"));
  CHECK_EQ(r.run(R"J({"cmd":"contrast","value":-2})J"), std::string(R"J({"ok":true,"contrast":-2})J"));
  CHECK_EQ(r.run(R"J({"cmd":"vflip","value":true})J"), std::string(R"J({"ok":true,"vflip":true})J"));
  CHECK_EQ(r.run(R"J({"cmd":"hmirror","value":0})J"), std::string(R"J({"ok":true,"hmirror":false})J"));
  CHECK_EQ(r.run(R"J({"cmd":"led","value":128})J"), std::string(R"J({"ok":true,"led":128})J"));
  const std::vector<std::string> expected = {"framesize=" + std::to_string(static_cast<int>(FrameSize::kSVGA)),
                                             "quality=12", "brightness=1", "contrast=-2", "vflip=1", "hmirror=0",
                                             "led=128"};
  CHECK(r.camera.applied == expected);
  CHECK(r.dispatcher.settings().frameSize == FrameSize::kSVGA);
  CHECK_EQ(r.dispatcher.settings().quality, 12);
}

TEST(framesizeAcceptsNamesInAnyCaseAndWidthByHeight) {
  Rig r;
  CHECK_EQ(r.run(R"J({"cmd":"framesize","value":"qvga"})J"),
           std::string(R"J({"ok":true,"framesize":"QVGA","width":320,"height":240})J"));
  CHECK_EQ(r.run(R"J({"cmd":"framesize","value":"1600x1200"})J"),
           std::string(R"J({"ok":true,"framesize":"UXGA","width":1600,"height":1200})J"));
  CHECK_EQ(r.run(R"J({"cmd":"framesize","value":"641x480"})J"),
           std::string(R"J({"ok":false,"error":"framesize needs \"value\": a size name (QQVGA..QXGA) or WxH such as \"640x480\""})J"));
  CHECK(!r.ok);
}

TEST(framesizeAboveTheBoardsMaximumIsRefusedWithoutTouchingTheSensor) {
  Rig r;
  r.camera.max = FrameSize::kVGA;  // no PSRAM
  CHECK_EQ(r.run(R"J({"cmd":"framesize","value":"SVGA"})J"),
           std::string(R"J({"ok":false,"error":"framesize SVGA is larger than this board's maximum VGA"})J"));
  CHECK(r.camera.applied.empty());
}

TEST(outOfRangeOrWronglyTypedValuesAreRefusedWithTheAllowedRange) {
  Rig r;
  CHECK_EQ(r.run(R"J({"cmd":"quality","value":3})J"),
           std::string(R"J({"ok":false,"error":"quality needs \"value\": an integer 4..63 (lower = better)"})J"));
  CHECK_EQ(r.run(R"J({"cmd":"quality","value":"12"})J"),
           std::string(R"J({"ok":false,"error":"quality needs \"value\": an integer 4..63 (lower = better)"})J"));
  CHECK_EQ(r.run(R"J({"cmd":"quality","value":12.0})J"),
           std::string(R"J({"ok":false,"error":"quality needs \"value\": an integer 4..63 (lower = better)"})J"));
  CHECK_EQ(r.run(R"J({"cmd":"brightness","value":3})J"),
           std::string(R"J({"ok":false,"error":"brightness needs \"value\": an integer -2..2"})J"));
  CHECK_EQ(r.run(R"J({"cmd":"vflip","value":2})J"),
           std::string(R"J({"ok":false,"error":"vflip needs \"value\": true or false"})J"));
  CHECK_EQ(r.run(R"J({"cmd":"led","value":256})J"),
           std::string(R"J({"ok":false,"error":"led needs \"value\": an integer 0..255 (PWM duty)"})J"));
  CHECK_EQ(r.run(R"J({"cmd":"stream","value":true})J"),
           std::string(R"J({"ok":false,"error":"stream needs \"on\": true or false"})J"));
  CHECK(r.camera.applied.empty());
}

TEST(aSensorFailureIsReportedAndTheSettingIsNotRecorded) {
  Rig r;
  r.camera.failWith = "sensor rejected quality";
  CHECK_EQ(r.run(R"J({"cmd":"quality","value":20})J"), std::string(R"J({"ok":false,"error":"sensor rejected quality"})J"));
  CHECK_EQ(r.dispatcher.settings().quality, 12);
  r.camera.hasLed = false;
  r.camera.failWith = nullptr;
  CHECK_EQ(r.run(R"J({"cmd":"led","value":10})J"), std::string(R"J({"ok":false,"error":"this board has no flash LED"})J"));
}

TEST(streamAndRestartActOnTheSession) {
  Rig r;
  CHECK_EQ(r.run(R"J({"cmd":"stream","on":true})J"), std::string(R"J({"ok":true,"streaming":true})J"));
  CHECK(r.session.streamingNow);
  CHECK_EQ(r.run(R"J({"cmd":"stream","on":false})J"), std::string(R"J({"ok":true,"streaming":false})J"));
  CHECK(!r.session.streamingNow);
  CHECK_EQ(r.run(R"J({"cmd":"restart"})J"), std::string(R"J({"ok":true,"restarting":true})J"));
  CHECK(r.session.restartRequested);
}

TEST(statusReportsSessionSettingsAndDeviceFacts) {
  Rig r;
  r.run(R"J({"cmd":"quality","value":20})J");
  CHECK_EQ(r.run(R"J({"cmd":"status"})J"),
           std::string(R"J({"ok":true,"id":"cam1","framesize":"VGA","width":640,"height":480,"maxFramesize":"UXGA",)J"
                       R"J("quality":20,"brightness":0,"contrast":0,"vflip":false,"hmirror":false,"led":0,)J"
                       R"J("heap":123456,"rssi":-61})J"));
}

TEST(unknownOrMalformedCommandsGetASpecificError) {
  Rig r;
  CHECK_EQ(r.run(R"J({"cmd":"selfdestruct"})J"),
           std::string(R"J({"ok":false,"error":"unknown command \"selfdestruct\" (known: framesize quality brightness )J"
                       R"J(contrast vflip hmirror led stream restart status ota factory-reset)"})J"));
  CHECK_EQ(r.run(R"J({"cmd":"quality" 12})J"), std::string(R"J({"ok":false,"error":"malformed JSON at offset 17: expected '}'"})J"));
  CHECK_EQ(r.run("not json"), std::string(R"J({"ok":false,"error":"malformed JSON at offset 0: expected a JSON object"})J"));
}
