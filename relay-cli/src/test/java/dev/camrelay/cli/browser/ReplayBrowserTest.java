package dev.camrelay.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.relay.CameraRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's timeline of recordings in a real browser (headless Chromium) against a recording relay fed by the
 * camera simulator: the recorded range appears under the live view, a click replays from there over the
 * WebSocket (recorded frames drawn, the badge says replay), the download link exports that range as an AVI, and
 * "Live" goes back. A relay that does not record shows no timeline and logs no errors. Skipped (with the reason)
 * where Chromium or chromedriver is missing.
 */
@Timeout(120)
class ReplayBrowserTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private HeadlessChromium browser;
  private CameraRelay relay;
  private SimulatedCamera camera;

  private void start(CameraRelay.Builder builder) throws Exception {
    String unavailable = HeadlessChromium.unavailableReason();
    Assumptions.assumeTrue(unavailable == null, () -> "skipping the browser test: " + unavailable);
    relay = builder.bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).rtspPort(-1).build();
    relay.start();
    camera = SimulatedCamera.builder().relay("127.0.0.1", relay.tcpPort()).cameraId("garage").size(320, 240)
        .fps(10).build().start();
    browser = HeadlessChromium.start(Path.of("target"), 1280, 900);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      assertThat(browser.severeBrowserLogs()).as("console errors and failed loads").isEmpty();
      browser.close();
    }
    if (camera != null) {
      camera.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void clickingTheTimelineReplaysTheRecordingAndLiveGoesBack() throws Exception {
    start(CameraRelay.builder().recordDir(dir));
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + relay.httpPort();
    waitUntilTrue(() -> get(client, base + "/cam/garage/recordings").contains("\"endMs\""));
    Thread.sleep(1500); // a little more recorded time to click into (the test asserts no timing)

    browser.driver.get(base + "/");
    WebElement view = waitFor(d -> d.findElement(By.cssSelector("article.view[data-camera='garage']")));
    waitFor(d -> "live".equals(view.getDomAttribute("data-state")) ? true : null);
    WebElement timeline = waitFor(d -> {
      WebElement t = view.findElement(By.cssSelector(".timeline"));
      return t.isDisplayed() && !"0".equals(t.getDomAttribute("data-ranges")) ? t : null;
    });
    WebElement bar = timeline.findElement(By.cssSelector(".timeline-bar"));
    WebElement range = bar.findElement(By.cssSelector(".timeline-range"));
    // Click a little inside the range's left end: the first recorded seconds.
    new Actions(browser.driver).moveToElement(range, -range.getSize().getWidth() / 2 + 2, 0).click().perform();

    waitFor(d -> "replay".equals(view.getDomAttribute("data-mode")) ? true : null);
    long replayFrom = Long.parseLong(timeline.getDomAttribute("data-replay-from"));
    long framesBefore = frames(view);
    waitFor(d -> view.getDomAttribute("data-replay-at") != null && frames(view) >= framesBefore + 3 ? true : null);
    long replayAt = Long.parseLong(view.getDomAttribute("data-replay-at"));
    assertThat(replayAt).as("a recorded frame from where the click asked").isGreaterThanOrEqualTo(replayFrom)
        .isLessThan(System.currentTimeMillis());
    assertThat(view.findElement(By.cssSelector(".state-badge")).getText()).startsWith("replay");
    browser.screenshot(Path.of("target", "screenshots", "viewer-timeline-replay.png"));

    WebElement download = timeline.findElement(By.cssSelector(".timeline-download"));
    assertThat(download.isDisplayed()).isTrue();
    String href = download.getDomAttribute("href");
    assertThat(href).contains("/cam/garage/export.avi?from=" + replayFrom);
    HttpResponse<byte[]> avi = client.send(HttpRequest.newBuilder(URI.create(href)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(avi.statusCode()).isEqualTo(200);
    assertThat(new String(Arrays.copyOfRange(avi.body(), 8, 12), StandardCharsets.US_ASCII)).isEqualTo("AVI ");
    Files.write(dir.resolve("downloaded.avi"), avi.body());

    timeline.findElement(By.cssSelector(".timeline-live")).click();
    waitFor(d -> "live".equals(view.getDomAttribute("data-mode")) && "live".equals(view.getDomAttribute("data-state"))
        ? true : null);
    assertThat(timeline.findElement(By.cssSelector(".timeline-live")).isDisplayed()).isFalse();
    long framesLive = frames(view);
    waitFor(d -> frames(view) >= framesLive + 3 ? true : null);
  }

  @Test
  void aRelayThatDoesNotRecordShowsNoTimeline() throws Exception {
    start(CameraRelay.builder());
    browser.driver.get("http://127.0.0.1:" + relay.httpPort() + "/");
    WebElement view = waitFor(d -> d.findElement(By.cssSelector("article.view[data-camera='garage']")));
    waitFor(d -> "live".equals(view.getDomAttribute("data-state")) && frames(view) > 0 ? true : null);
    // The timeline asked (recordings answers 200 with no ranges on such a relay) and stays hidden.
    waitFor(d -> ((JavascriptExecutor) d).executeScript(
        "return performance.getEntriesByType('resource').some(e => e.name.includes('/recordings'))"));
    assertThat(view.findElement(By.cssSelector(".timeline")).isDisplayed()).isFalse();
  }

  private static long frames(WebElement view) {
    String frames = view.getDomAttribute("data-frames");
    return frames == null ? 0 : Long.parseLong(frames);
  }

  private <T> T waitFor(Function<WebDriver, T> condition) {
    return new WebDriverWait(browser.driver, PATIENCE, Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }

  private static String get(HttpClient client, String url) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void waitUntilTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(50);
    }
  }
}
