package dev.camrelay.relay.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonSyntaxException;
import org.junit.jupiter.api.Test;

/** JSON from clients and cameras is read without recursion that a sender controls. */
class UntrustedJsonTest {
  @Test
  void deeplyNestedTextIsRefusedBeforeParsingWithoutEchoingIt() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000); // would overflow a thread's stack when printed
    assertThatThrownBy(() -> UntrustedJson.object(deep)).isInstanceOf(JsonSyntaxException.class)
        .hasMessage("nested deeper than 32 levels");
    String deepInside = "{\"command\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41);
    assertThatThrownBy(() -> UntrustedJson.object(deepInside)).isInstanceOf(JsonSyntaxException.class);
  }

  @Test
  void aValueThatIsNotAnObjectIsRefusedWithoutPrintingIt() {
    assertThatThrownBy(() -> UntrustedJson.object("[1,2,3]")).isInstanceOf(JsonSyntaxException.class)
        .hasMessage("not a JSON object");
  }

  @Test
  void bracketsInsideStringsDoNotCountAndObjectsComeBack() {
    assertThat(UntrustedJson.object("{\"text\":\"" + "[".repeat(100) + "\\\"\"}").get("text").getAsString())
        .startsWith("[[[");
    assertThat(UntrustedJson.object("{\"type\":\"control\",\"command\":{\"cmd\":\"status\"}}").get("type")
        .getAsString()).isEqualTo("control");
  }
}
