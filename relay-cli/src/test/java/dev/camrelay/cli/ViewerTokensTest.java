package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How {@code --viewer-token} values split into the token for every camera and tokens for some cameras. */
class ViewerTokensTest {
  @Test
  void aTokenAloneOpensEveryCameraAndIdsBeforeAnEqualsSignScopeIt() {
    ViewerTokens t = ViewerTokens.parse(List.of("s3cret", "garage=k1", "porch,yard=k2", "shed=k2"));
    assertThat(t.global()).isEqualTo("s3cret");
    assertThat(t.scoped()).isEqualTo(Map.of("k1", Set.of("garage"), "k2", Set.of("porch", "yard", "shed")));
    assertThat(t.any()).isTrue();
  }

  @Test
  void base64PaddingAndInvalidIdsMakeATokenNotAScope() {
    assertThat(ViewerTokens.parse(List.of("abc==")).global()).isEqualTo("abc==");
    assertThat(ViewerTokens.parse(List.of("abc=")).global()).isEqualTo("abc=");
    assertThat(ViewerTokens.parse(List.of("a/b=c")).global()).isEqualTo("a/b=c");
    assertThat(ViewerTokens.parse(List.of()).any()).isFalse();
  }

  @Test
  void aMistypedCameraListIsRefusedRatherThanOpeningEveryCamera() {
    for (String typo : List.of("garage,", "garage,porch", "garage,,porch=k", ",garage=k", "garage,../x=k")) {
      assertThatThrownBy(() -> ViewerTokens.parse(List.of(typo))).as(typo)
          .hasMessageContaining("must be ID,ID=TOKEN").hasMessageNotContaining("=k");
    }
  }

  @Test
  void twoDifferentTokensForEveryCameraAreAMistakeAndNamedWithoutTheTokens() {
    assertThatThrownBy(() -> ViewerTokens.parse(List.of("one-secret", "two-secret")))
        .hasMessageContaining("given twice").hasMessageNotContaining("secret");
    assertThat(ViewerTokens.parse(List.of("same", "same")).global()).isEqualTo("same");
  }
}
