package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.internal.port.http.PrometheusText.Type;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  @Test
  void writesHelpAndTypeOncePerFamilyWithItsSamplesTogether() {
    PrometheusText text = new PrometheusText()
        .family("camrelay_camera_frames_in_total", Type.COUNTER, "Frames in.")
        .family("camrelay_camera_fps", Type.GAUGE, "Frames per second.");
    text.sample("camrelay_camera_frames_in_total", 10, "camera", "a");
    text.sample("camrelay_camera_fps", 29.5, "camera", "a");
    text.sample("camrelay_camera_frames_in_total", 20, "camera", "b");

    assertThat(text.text()).isEqualTo("""
        # HELP camrelay_camera_frames_in_total Frames in.
        # TYPE camrelay_camera_frames_in_total counter
        camrelay_camera_frames_in_total{camera="a"} 10
        camrelay_camera_frames_in_total{camera="b"} 20
        # HELP camrelay_camera_fps Frames per second.
        # TYPE camrelay_camera_fps gauge
        camrelay_camera_fps{camera="a"} 29.5
        """);
  }

  @Test
  void escapesLabelValuesAndHelpText() {
    PrometheusText text = new PrometheusText().family("m", Type.GAUGE, "line\\one\nline two");
    text.sample("m", 1, "l", "q\"b\\s\nn");
    String out = text.text();
    assertThat(out).contains("# HELP m line\\\\one\\nline two\n");
    assertThat(out).contains("m{l=\"q\\\"b\\\\s\\nn\"} 1\n");
    assertThat(PrometheusTextParser.parse(out).samples.get(0).labels().get("l")).isEqualTo("q\"b\\s\nn");
  }

  @Test
  void formatsSpecialValues() {
    assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
    assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(PrometheusText.format(-3)).isEqualTo("-3");
    assertThat(PrometheusText.format(0.25)).isEqualTo("0.25");
    assertThat(PrometheusText.format(1e20)).isEqualTo("1.0E20");
  }

  @Test
  void refusesInvalidNamesAndUndeclaredFamilies() {
    assertThatThrownBy(() -> new PrometheusText().family("bad-name", Type.GAUGE, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrometheusText().sample("nope", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrometheusText().family("m", Type.GAUGE, "x").sample("m", 1, "bad-label", "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTestParserRejectsMalformedExpositions() {
    assertThatThrownBy(() -> PrometheusTextParser.parse("m 1\n")).hasMessageContaining("outside its family");
    assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE m gauge\nm{a=b} 1\n")).hasMessageContaining("bad label");
    assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE m gauge\nm one\n")).hasMessageContaining("not a Prometheus");
    assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE m gauge\n# TYPE m gauge\n")).hasMessageContaining("second TYPE");
  }
}
