package dev.camrelay.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CameraSettingsTest {
  private final CameraSettings settings = new CameraSettings(640, 480, 12, true, 10, "sim");

  @Test
  void framesizeChangesTheSizeAndRepliesOk() {
    assertThat(settings.apply("{\"cmd\":\"framesize\",\"value\":\"SVGA\"}").replyJson())
        .isEqualTo("{\"ok\":true,\"framesize\":\"SVGA\",\"width\":800,\"height\":600}");
    assertThat(settings.snapshot().width()).isEqualTo(800);
    assertThat(settings.snapshot().height()).isEqualTo(600);
  }

  @Test
  void framesizeAcceptsTheDriversNumericIndex() {
    settings.apply("{\"cmd\":\"framesize\",\"value\":5}");
    assertThat(settings.snapshot().width()).isEqualTo(320);
  }

  @Test
  void unknownCommandIsRefusedByName() {
    assertThat(settings.apply("{\"cmd\":\"x\"}").replyJson())
        .isEqualTo("{\"ok\":false,\"error\":\"unknown command 'x'\"}");
  }

  @Test
  void outOfRangeQualityIsRefusedAndKeepsTheOldValue() {
    assertThat(settings.apply("{\"cmd\":\"quality\",\"value\":99}").replyJson()).contains("\"ok\":false")
        .contains("0..63");
    assertThat(settings.snapshot().quality()).isEqualTo(12);
  }

  @Test
  void streamOffAndOnToggleStreaming() {
    settings.apply("{\"cmd\":\"stream\",\"on\":false}");
    assertThat(settings.streaming()).isFalse();
    settings.apply("{\"cmd\":\"stream\",\"on\":true}");
    assertThat(settings.streaming()).isTrue();
  }

  @Test
  void statusReportsEverySetting() {
    settings.apply("{\"cmd\":\"vflip\",\"value\":true}");
    settings.apply("{\"cmd\":\"led\",\"value\":128}");
    String status = settings.apply("{\"cmd\":\"status\"}").replyJson();
    assertThat(status).startsWith("{\"ok\":true").contains("\"framesize\":\"VGA\"").contains("\"vflip\":true")
        .contains("\"led\":128").contains("\"quality\":12").contains("\"streaming\":true");
  }

  @Test
  void restartRepliesThenAsksForAReconnect() {
    CameraSettings.Outcome o = settings.apply("{\"cmd\":\"restart\"}");
    assertThat(o.replyJson()).contains("\"ok\":true");
    assertThat(o.effect()).isEqualTo(CameraSettings.Effect.RESTART);
  }

  @Test
  void malformedJsonGetsAnErrorReplyNotAnException() {
    assertThat(settings.apply("{nope").replyJson()).isEqualTo("{\"ok\":false,\"error\":\"command is not valid JSON\"}");
    assertThat(settings.apply("{\"value\":1}").replyJson()).isEqualTo("{\"ok\":false,\"error\":\"missing 'cmd'\"}");
    assertThat(settings.apply("{\"cmd\":\"vflip\",\"value\":\"yes\"}").replyJson()).contains("\"ok\":false");
  }
}
