package dev.camrelay.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.Cli;
import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.relay.CameraRelay;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web viewer in a real browser (headless Chromium) against a real relay on loopback, fed by the
 * camera simulator over the framed TCP protocol: the page lists the camera, draws its JPEGs at their
 * natural size, round-trips control commands to the camera, asks for a token on a protected relay,
 * reconnects after a relay restart, and fits a phone screen. Screenshots go to target/screenshots/.
 *
 * <p>Skipped (with the reason) where /usr/bin/chromium or /usr/bin/chromedriver is missing.
 */
@Timeout(120)
class ViewerBrowserTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final int WIDTH = 320;
  private static final int HEIGHT = 240;
  private static final Path TARGET = Path.of("target");
  private static final Path SCREENSHOTS = TARGET.resolve("screenshots");

  private static HeadlessChromium browser;
  private static CameraRelay relay;
  private static SimulatedCamera camera;

  @BeforeAll
  static void startRelayCameraAndBrowser() throws Exception {
    if (HeadlessChromium.unavailableReason() != null) {
      return; // each test reports the skip (a skipped @BeforeAll would hide the reason)
    }
    relay = startRelay(relayBuilder().rtspPort(0));
    camera = startCamera(relay, "garage", null);
    Files.createDirectories(TARGET);
    browser = HeadlessChromium.start(TARGET, 1280, 860);
  }

  @AfterAll
  static void stopEverything() {
    if (browser != null) browser.close();
    if (camera != null) camera.close();
    if (relay != null) relay.close();
  }

  @BeforeEach
  void desktopWindowAndFreshStorage() {
    String unavailable = HeadlessChromium.unavailableReason();
    Assumptions.assumeTrue(unavailable == null, () -> "skipping the browser test: " + unavailable);
    browser.driver.manage().window().setSize(new Dimension(1280, 860));
    browser.driver.get(pageUrl(relay, ""));
    js("localStorage.clear()");
    browser.severeBrowserLogs(); // start each test with an empty log
  }

  @AfterEach
  void noConsoleErrors() {
    if (browser == null) return;
    assertThat(browser.severeBrowserLogs()).as("console errors and failed loads").isEmpty();
  }

  @Test
  void cameraListShowsTheCameraWithItsState() {
    WebElement row = waitFor(d -> d.findElement(By.cssSelector(".camera-row[data-camera='garage'][data-connected='true']")));
    waitUntil(d -> row.getText().contains(WIDTH + "×" + HEIGHT));
    assertThat(row.getText()).contains("garage").contains("fps").contains("viewer");
    assertThat(js("return document.getElementById('relay-status').textContent")).asString().contains("1 camera");
  }

  @Test
  void liveViewDrawsTheCamerasFramesAtTheirNaturalSizeAndKeepsDrawing() throws IOException {
    WebElement view = view("garage");
    waitUntil(d -> "live".equals(view.getDomAttribute("data-state")) && frames(view) > 0);
    assertThat(view.getDomAttribute("data-width")).isEqualTo(String.valueOf(WIDTH));
    assertThat(view.getDomAttribute("data-height")).isEqualTo(String.valueOf(HEIGHT));
    long drawn = frames(view);
    waitUntil(d -> frames(view) >= drawn + 5);
    String overlay = view.findElement(By.cssSelector(".stats")).getText();
    assertThat(overlay).contains(WIDTH + "×" + HEIGHT).contains("fps").contains("age").contains("skip");
    assertThat(view.findElement(By.cssSelector(".state-badge")).getText()).isEqualTo("live");
    // the canvas really holds the picture: its backing store has the frame's size
    assertThat(js("return [arguments[0].querySelector('canvas').width, arguments[0].querySelector('canvas').height]",
        view)).isEqualTo(List.of((long) WIDTH, (long) HEIGHT));
    browser.screenshot(SCREENSHOTS.resolve("viewer-desktop-grid.png"));
  }

  @Test
  void qualitySliderSendsAControlCommandThatTheCameraAnswers() throws IOException {
    focus("garage");
    WebElement panel = waitFor(d -> visible(d.findElement(By.id("control-panel"))));
    // the panel asks for the camera's status on focus; wait for that reply so the form shows the camera's values
    waitUntil(d -> !d.findElements(By.cssSelector(".control-log li[data-result='ok']")).isEmpty());
    WebElement slider = panel.findElement(By.id("ctl-quality"));
    int before = Integer.parseInt(slider.getDomProperty("value"));
    slider.sendKeys(before == 4 ? Keys.END : Keys.HOME);
    int expected = before == 4 ? 63 : 4;

    WebElement entry = waitFor(d -> d.findElements(By.cssSelector(".control-log li")).stream()
        .filter(li -> li.getText().contains("\"quality\"") && !"pending".equals(li.getDomAttribute("data-result")))
        .findFirst().orElse(null));
    assertThat(entry.getDomAttribute("data-result")).isEqualTo("ok");
    assertThat(entry.getText()).contains("{\"cmd\":\"quality\",\"value\":" + expected + "}").contains("ok");
    assertThat(entry.getText()).contains("\"quality\":" + expected); // the camera's own reply JSON
    assertThat(camera.lastControl()).contains("quality").contains(String.valueOf(expected));
    browser.driver.manage().window().setSize(new Dimension(1280, 1400)); // tall enough for the reply log
    browser.screenshot(SCREENSHOTS.resolve("viewer-desktop-focus.png"));
  }

  @Test
  void frameSizeChangeReachesTheCameraAndThePictureFollows() {
    focus("garage");
    waitFor(d -> visible(d.findElement(By.id("control-panel"))));
    waitUntil(d -> !d.findElements(By.cssSelector(".control-log li[data-result='ok']")).isEmpty());
    WebElement view = view("garage");
    try {
      new Select(browser.driver.findElement(By.id("ctl-framesize"))).selectByValue("QQVGA");
      waitUntil(d -> "160".equals(view.getDomAttribute("data-width")) && "120".equals(view.getDomAttribute("data-height")));
      assertThat(camera.width()).isEqualTo(160);
    } finally {
      // the other tests expect 320x240 again
      relay.control("garage", "{\"cmd\":\"framesize\",\"value\":\"QVGA\"}").join();
    }
    waitUntil(d -> String.valueOf(WIDTH).equals(view.getDomAttribute("data-width")));
  }

  @Test
  void customJsonCommandShowsTheCamerasErrorAndBadJsonIsRefusedLocally() {
    focus("garage");
    waitFor(d -> visible(d.findElement(By.id("control-panel"))));
    WebElement custom = browser.driver.findElement(By.id("ctl-custom"));
    custom.clear();
    custom.sendKeys("{\"cmd\":\"selfdestruct\"}");
    browser.driver.findElement(By.cssSelector("#control-panel button[type='submit']")).click();
    WebElement refused = waitFor(d -> d.findElements(By.cssSelector(".control-log li[data-result='error']")).stream()
        .filter(li -> li.getText().contains("selfdestruct")).findFirst().orElse(null));
    assertThat(refused.getText()).contains("unknown command");

    long before = camera.controlsReceived();
    custom.clear();
    custom.sendKeys("{not json");
    browser.driver.findElement(By.cssSelector("#control-panel button[type='submit']")).click();
    WebElement local = waitFor(d -> d.findElements(By.cssSelector(".control-log li")).stream()
        .filter(li -> li.getText().contains("not valid JSON")).findFirst().orElse(null));
    assertThat(local.getDomAttribute("data-result")).isEqualTo("error");
    assertThat(camera.controlsReceived()).isEqualTo(before);
  }

  @Test
  void snapshotButtonDownloadsTheLatestFrameAndTheMjpegLinkWorks() throws Exception {
    focus("garage");
    waitUntil(d -> frames(view("garage")) > 0);
    try (Stream<Path> old = Files.list(browser.downloads)) {
      for (Path p : old.toList()) Files.delete(p);
    }
    browser.driver.findElement(By.id("snapshot-button")).click();
    Path jpeg = waitFor(d -> {
      try (Stream<Path> files = Files.list(browser.downloads)) {
        return files.filter(p -> p.getFileName().toString().matches("garage-.*\\.jpg")).findFirst().orElse(null);
      } catch (IOException e) {
        return null;
      }
    });
    BufferedImage image = waitFor(d -> readImage(jpeg));
    assertThat(image.getWidth()).isEqualTo(WIDTH);
    assertThat(image.getHeight()).isEqualTo(HEIGHT);

    String mjpeg = browser.driver.findElement(By.id("mjpeg-link")).getDomProperty("href");
    assertThat(mjpeg).isEqualTo(pageUrl(relay, "cam/garage/stream.mjpeg"));
    HttpURLConnection connection = (HttpURLConnection) URI.create(mjpeg).toURL().openConnection();
    try {
      connection.setReadTimeout(10_000);
      assertThat(connection.getResponseCode()).isEqualTo(200);
      assertThat(connection.getContentType()).startsWith("multipart/x-mixed-replace");
      assertThat(connection.getInputStream().readNBytes(2)).isEqualTo("--".getBytes());
    } finally {
      connection.disconnect();
    }
  }

  @Test
  void focusedCameraShowsItsRtspUrlWithThePagesHostAndTheRelaysRtspPort() {
    focus("garage");
    WebElement rtsp = waitFor(d -> visible(d.findElement(By.id("rtsp-url"))));
    assertThat(rtsp.getDomProperty("value")).isEqualTo("rtsp://127.0.0.1:" + relay.rtspPort() + "/garage");
    assertThat(browser.driver.findElement(By.id("rtsp-refused")).isDisplayed()).as("the camera's JPEGs fit RTP")
        .isFalse();
  }

  @Test
  void imgFallbackShowsFramesWithoutLeakingObjectUrls() {
    browser.driver.get(pageUrl(relay, "?renderer=img"));
    WebElement view = view("garage");
    waitUntil(d -> frames(view) > 0);
    // Count object URLs from outside the page's code: the renderer looks URL.* up at each call.
    js("window.__urls = {created: 0, revoked: 0};"
        + "const create = URL.createObjectURL, revoke = URL.revokeObjectURL;"
        + "URL.createObjectURL = (b) => { window.__urls.created++; return create.call(URL, b); };"
        + "URL.revokeObjectURL = (u) => { window.__urls.revoked++; return revoke.call(URL, u); };");
    long drawn = frames(view);
    waitUntil(d -> frames(view) >= drawn + 15);
    assertThat(view.findElements(By.cssSelector("img.picture"))).hasSize(1);
    assertThat(view.findElements(By.cssSelector("canvas"))).isEmpty();
    assertThat(view.getDomAttribute("data-width")).isEqualTo(String.valueOf(WIDTH));
    @SuppressWarnings("unchecked")
    Map<String, Long> urls = (Map<String, Long>) js("return window.__urls");
    assertThat(urls.get("created")).isGreaterThanOrEqualTo(15);
    // At most the shown image's URL and the one being decoded are alive. Counting began mid-stream, so the URL shown
    // then (created before the counters) may be revoked after: one more revoke than create is no leak.
    assertThat(urls.get("created") - urls.get("revoked")).isBetween(-1L, 2L);
  }

  @Test
  void everyControlHasAnAccessibleNameAndThePhoneLayoutFits() throws IOException {
    browser.driver.manage().window().setSize(new Dimension(390, 844));
    browser.driver.get(pageUrl(relay, "#cam=garage"));
    waitUntil(d -> frames(view("garage")) > 0);
    waitFor(d -> visible(d.findElement(By.id("control-panel"))));
    assertThat(js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
        .as("no sideways scrolling on a phone").isEqualTo(true);
    Object unnamed = js("return [...document.querySelectorAll('button, input, select, textarea, a[href]')]"
        + ".filter(e => e.offsetParent !== null && e.getAttribute('aria-hidden') !== 'true')"
        + ".filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.textContent.trim()))"
        + ".map(e => e.outerHTML)");
    assertThat((List<?>) unnamed).as("controls without an accessible name").isEmpty();
    Object small = js("return [...document.querySelectorAll('button, select, .camera-row')]"
        + ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 36).map(e => e.outerHTML)");
    assertThat((List<?>) small).as("touch targets under 36 px").isEmpty();
    browser.screenshot(SCREENSHOTS.resolve("viewer-phone-focus.png"));
    browser.driver.get(pageUrl(relay, ""));
    waitUntil(d -> frames(view("garage")) > 0);
    browser.screenshot(SCREENSHOTS.resolve("viewer-phone-grid.png"));
  }

  @Test
  void oneCameraFillsTheDesktopWidthWithItsFiguresBelowThePictureAndExplained() throws IOException {
    WebElement view = pageWithLiveGarage(1280, 800);
    assertThat(pictureShareOfWindowWidth(view)).as("width of the one camera's picture / the window's")
        .isGreaterThanOrEqualTo(0.8);
    assertThat(js("const r = arguments[0].querySelector('canvas').getBoundingClientRect();"
        + "return Math.abs(r.width / r.height - 4 / 3) < 0.02", view)).as("the stage keeps the picture's 4:3").isEqualTo(true);
    assertThat(js("return arguments[0].querySelector('.caption').getBoundingClientRect().top"
        + " >= arguments[0].querySelector('canvas').getBoundingClientRect().bottom - 0.5", view))
        .as("name, state and figures sit below the picture, not over it").isEqualTo(true);
    // the figures are rebuilt twice a second: read their tooltips in one go, once "drop" (from the camera list) is there
    Map<?, ?> titles = waitFor(d -> {
      Map<?, ?> byWord = (Map<?, ?>) js("return Object.fromEntries([...arguments[0].querySelectorAll('.stats span')]"
          + ".map(s => [s.textContent.split(' ')[0], s.title]))", view);
      return byWord.containsKey("drop") ? byWord : null;
    });
    assertThat(titles.get("skip")).asString().contains("newer one arrived").contains("newest wins");
    assertThat(titles.get("drop")).asString().contains("relay threw away as broken");
    browser.screenshot(SCREENSHOTS.resolve("viewer-desktop-one-camera.png"));
  }

  @Test
  void severalCamerasShareTheDesktopWidthAsTilesSideBySide() throws Exception {
    try (CameraRelay two = startRelay(relayBuilder());
        SimulatedCamera front = startCamera(two, "front-door", null);
        SimulatedCamera back = startCamera(two, "back-door", null)) {
      browser.driver.manage().window().setSize(new Dimension(1280, 800));
      browser.driver.get(pageUrl(two, ""));
      WebElement frontView = view("front-door");
      WebElement backView = view("back-door");
      waitUntil(d -> frames(frontView) > 0 && frames(backView) > 0);
      browser.screenshot(SCREENSHOTS.resolve("viewer-desktop-two-cameras.png"));
      // the list (and so the grid) is in name order: back-door first
      assertThat(js("const [a, b] = [...arguments].map(v => v.getBoundingClientRect());"
          + "return Math.abs(a.top - b.top) < 1 && a.right <= b.left", backView, frontView))
          .as("two tiles side by side").isEqualTo(true);
      assertThat(pictureShareOfWindowWidth(frontView)).as("width of one tile's picture / the window's").isBetween(0.28, 0.5);
      browser.driver.get("about:blank"); // leave before the relay closes, so no errors follow
    }
  }

  @Test
  void onAPhoneTheCameraCardTakesTheWholeWidthAndTheHeaderWrapsInsteadOfBeingCut() throws IOException {
    WebElement view = pageWithLiveGarage(390, 844);
    waitUntil(d -> js("return document.getElementById('relay-status').textContent").toString().contains("camera"));
    double viewport = ((Number) js("return window.innerWidth")).doubleValue();
    double card = ((Number) js("return document.querySelector(\".camera-row[data-camera='garage']\")"
        + ".getBoundingClientRect().width")).doubleValue();
    assertThat(card / viewport).as("width of the camera card / the window's").isGreaterThanOrEqualTo(0.9);
    assertThat((List<?>) js("return [document.querySelector('.topbar'), ...document.querySelectorAll('.topbar *')]"
        + ".filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth).map(e => e.outerHTML)"))
        .as("header elements whose content is cut").isEmpty();
    assertThat(pictureShareOfWindowWidth(view)).as("width of the picture / the window's").isGreaterThanOrEqualTo(0.9);
    browser.screenshot(SCREENSHOTS.resolve("viewer-phone-one-camera.png"));
  }

  @Test
  void protectedRelayAsksForTheTokenAndThenShowsTheCamera() throws Exception {
    try (CameraRelay locked = startRelay(relayBuilder().viewerToken("s3cret-t0ken"));
        SimulatedCamera door = startCamera(locked, "front-door", null)) {
      browser.driver.get(pageUrl(locked, ""));
      WebElement dialog = waitFor(d -> visible(d.findElement(By.id("token-dialog"))));
      assertThat(js("return document.getElementById('relay-status').textContent")).asString().contains("token");
      // the 401 that led to the prompt is logged by the browser; nothing else may be
      assertThat(browser.severeBrowserLogs()).allMatch(line -> line.contains("401"));
      dialog.findElement(By.id("token-input")).sendKeys("s3cret-t0ken", Keys.ENTER);
      WebElement view = view("front-door");
      waitUntil(d -> frames(view) > 0 && "live".equals(view.getDomAttribute("data-state")));
      assertThat(js("return localStorage.getItem('camrelay.token')")).isEqualTo("s3cret-t0ken");
      assertThat(door.framesSent()).isPositive();
      focus("front-door");
      String mjpeg = waitFor(d -> d.findElement(By.id("mjpeg-link")).getDomProperty("href"));
      assertThat(mjpeg).endsWith("/cam/front-door/stream.mjpeg?token=s3cret-t0ken");
      HttpURLConnection connection = (HttpURLConnection) URI.create(mjpeg).toURL().openConnection();
      assertThat(connection.getResponseCode()).isEqualTo(200);
      connection.disconnect();
      // the stored token is used straight away next time
      browser.driver.navigate().refresh();
      waitUntil(d -> frames(view("front-door")) > 0);
      assertThat(browser.driver.findElement(By.id("token-dialog")).isDisplayed()).isFalse();
      browser.driver.get("about:blank"); // leave before the relay closes, so no errors follow
    }
  }

  @Test
  void aShareLinkOpensThePageOnItsCameraAndShowsNoOther() throws Exception {
    try (CameraRelay locked = startRelay(relayBuilder().viewerToken("s3cret-t0ken"));
        SimulatedCamera front = startCamera(locked, "front-door", null);
        SimulatedCamera back = startCamera(locked, "back-door", null)) {
      Cli.Result share = Cli.run(Map.of("CAMRELAY_VIEWER_TOKEN", "s3cret-t0ken"), "share", "front-door", "--for", "1h",
          "--url", pageUrl(locked, ""));
      assertThat(share.exitCode()).as(share.err()).isZero();
      Matcher link = Pattern.compile("Viewer +(\\S+)").matcher(share.out());
      assertThat(link.find()).as(share.out()).isTrue();
      browser.driver.get(link.group(1));
      WebElement view = view("front-door");
      waitUntil(d -> frames(view) > 0 && "live".equals(view.getDomAttribute("data-state")));
      waitUntil(d -> visible(d.findElement(By.id("focus"))) != null);
      assertThat(js("return location.hash")).isEqualTo("#cam=front-door");
      assertThat(js("return location.search")).as("the token left the address bar").isEqualTo("");
      waitUntil(d -> back.framesSent() > 0 && locked.camera("back-door").isPresent());
      browser.driver.navigate().refresh(); // one more camera list, now that both cameras are known
      waitUntil(d -> frames(view("front-door")) > 0);
      assertThat(browser.driver.findElements(By.cssSelector("[data-camera='back-door']"))).isEmpty();
      assertThat(front.framesSent()).isPositive();
      browser.driver.get("about:blank");
    }
  }

  @Test
  void viewReconnectsWithBackoffAfterTheRelayRestarts() throws Exception {
    CameraRelay first = startRelay(relayBuilder());
    int tcp = first.tcpPort();
    int ws = first.wsPort();
    int http = first.httpPort();
    try (SimulatedCamera porch = startCamera(first, "porch", null)) {
      browser.driver.get(pageUrl(first, ""));
      WebElement view = view("porch");
      waitUntil(d -> frames(view) > 0);

      first.close();
      waitUntil(d -> "reconnecting".equals(view.getDomAttribute("data-state")));
      assertThat(view.findElement(By.cssSelector(".state-badge")).getText()).matches("reconnecting in \\d+s");
      long framesBefore = frames(view);

      try (CameraRelay second = restartOn(tcp, ws, http)) {
        // the simulator reconnects by itself; the page's view reconnects with its backoff
        waitUntil(d -> "live".equals(view.getDomAttribute("data-state")) && frames(view) > framesBefore + 3);
        assertThat(porch.connections()).isGreaterThanOrEqualTo(2);
        waitUntil(d -> second.cameras().stream().anyMatch(c -> c.id().equals("porch") && c.viewers() > 0));
        browser.driver.get("about:blank");
      }
    } finally {
      first.close();
    }
    browser.driver.get("about:blank");
    browser.severeBrowserLogs(); // failed WebSocket connections while the relay was down are expected
  }

  @Test
  void viewSaysOfflineWhileTheCameraIsGoneAndGoesLiveWhenItReturns() throws Exception {
    CameraRelay own = startRelay(relayBuilder()); // the relay keeps listing a camera that left
    SimulatedCamera shed = startCamera(own, "shed", null);
    try {
      browser.driver.get(pageUrl(own, ""));
      WebElement view = view("shed");
      waitUntil(d -> "live".equals(view.getDomAttribute("data-state")) && frames(view) > 0);
      shed.close();
      waitUntil(d -> "offline".equals(view.getDomAttribute("data-state")));
      assertThat(view.findElement(By.cssSelector(".notice")).getText()).isEqualTo("Camera offline");
      assertThat(view.findElement(By.cssSelector(".state-badge")).getText()).isEqualTo("offline");
      long before = frames(view);
      shed = startCamera(own, "shed", null);
      waitUntil(d -> "live".equals(view.getDomAttribute("data-state")) && frames(view) > before + 3);
      assertThat(view.findElement(By.cssSelector(".notice")).isDisplayed()).isFalse();
      browser.driver.get("about:blank"); // leave before the relay closes, so no errors follow
    } finally {
      shed.close();
      own.close();
    }
  }

  @Test
  void aPullCameraIsListedAtOnceWithWhatItsConnectionSays() throws Exception {
    int refused;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      refused = s.getLocalPort(); // nothing listens here once closed
    }
    try (CameraRelay pulling = startRelay(relayBuilder()
        .pull("driveway", URI.create("http://127.0.0.1:" + refused + "/stream")))) {
      browser.driver.get(pageUrl(pulling, ""));
      WebElement row = waitFor(d -> d.findElement(By.cssSelector(".camera-row[data-camera='driveway']")));
      waitUntil(d -> row.getText().contains("connecting"));
      assertThat(row.getDomAttribute("title")).containsIgnoringCase("connection refused");
      WebElement view = view("driveway");
      waitUntil(d -> view.findElement(By.cssSelector(".notice")).getText().toLowerCase().contains("connection refused"));
      assertThat(view.findElement(By.cssSelector(".notice")).getText()).startsWith("Camera connecting: ");
      assertThat(browser.driver.findElement(By.id("empty")).isDisplayed()).isFalse();
      browser.driver.get("about:blank"); // leave before the relay closes, so no errors follow
    }
  }

  @Test
  void aCamerasFirmwareUpdateShowsAsALineUnderItsRow() throws Exception {
    try (CameraRelay updating = startRelay(relayBuilder());
        SimulatedCamera porch = startCamera(updating, "porch", null);
        java.net.Socket cam = new java.net.Socket("127.0.0.1", updating.tcpPort())) {
      browser.driver.get(pageUrl(updating, ""));
      java.io.OutputStream out = cam.getOutputStream();
      out.write(MessageEncoder.encode(Message.hello(new Hello(1, Hello.CONTROL, "attic", null, "test/1"))));
      out.write(MessageEncoder.encode(Message.control(0,
          "{\"event\":\"ota\",\"state\":\"rolled-back\",\"version\":\"1.3.9\",\"error\":\"no relay\"}", false)));
      out.flush();
      WebElement line = waitFor(d -> d.findElement(
          By.cssSelector(".camera-row[data-camera='attic'] .camera-firmware")));
      waitUntil(d -> line.getText().equals("Firmware update rolled back, running 1.3.9: no relay"));
      String nameColor = browser.driver.findElement(By.cssSelector(".camera-row[data-camera='attic'] .camera-name"))
          .getCssValue("color");
      assertThat(line.getCssValue("color")).as("a failure stands out").isNotEqualTo(nameColor);
      out.write(MessageEncoder.encode(Message.control(0,
          "{\"event\":\"ota\",\"state\":\"downloading\",\"received\":40,\"size\":100}", false)));
      out.flush();
      waitUntil(d -> line.getText().equals("Firmware 1.3.9: downloading 40 %"));
      WebElement porchLine = waitFor(d -> d.findElement(
          By.cssSelector(".camera-row[data-camera='porch'] .camera-firmware")));
      assertThat(porchLine.isDisplayed()).as("no line for a camera without an update").isFalse();
      browser.driver.get("about:blank");
    }
  }

  @Test
  void theEmptyPageNamesTheRelaysRealCameraPort() throws Exception {
    try (CameraRelay empty = startRelay(relayBuilder())) {
      browser.driver.get(pageUrl(empty, ""));
      WebElement hint = waitFor(d -> visible(d.findElement(By.id("empty"))));
      waitUntil(d -> hint.getText().contains("port " + empty.tcpPort() + ")"));
      assertThat(hint.getText()).doesNotContain("3008");
      browser.driver.get("about:blank");
    }
  }

  @Test
  void withoutAWebSocketPortTheViewFallsBackToTheMjpegStream() throws Exception {
    try (CameraRelay noWs = startRelay(relayBuilder().wsPort(-1));
        SimulatedCamera cam = startCamera(noWs, "attic", null)) {
      browser.driver.get(pageUrl(noWs, ""));
      WebElement view = view("attic");
      waitUntil(d -> "live".equals(view.getDomAttribute("data-state")));
      WebElement picture = view.findElement(By.cssSelector("img.picture"));
      assertThat(picture.getDomProperty("src")).isEqualTo(pageUrl(noWs, "cam/attic/stream.mjpeg"));
      assertThat(view.getDomAttribute("data-width")).isEqualTo(String.valueOf(WIDTH));
      assertThat(view.getDomAttribute("data-height")).isEqualTo(String.valueOf(HEIGHT));
      assertThat(cam.framesSent()).isPositive();
      browser.driver.get("about:blank"); // leave before the relay closes, so no errors follow
    }
  }

  @Test
  void backoffDoublesUpToItsCeilingWithJitterAndStartsOverAfterReset() {
    // The page's own module, run by the browser; random() is pinned to the extremes of the jitter.
    Object delays = ((JavascriptExecutor) browser.driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
        + "import('./backoff.js').then(({ Backoff }) => {"
        + "  const none = new Backoff({ random: () => 0 }), full = new Backoff({ random: () => 0.999999 });"
        + "  const a = [], b = [];"
        + "  for (let i = 0; i < 8; i++) { a.push(none.next()); b.push(full.next()); }"
        + "  none.reset();"
        + "  done({ a, b, afterReset: none.next() });"
        + "}).catch((e) => done(String(e)));");
    assertThat(delays).isInstanceOf(Map.class);
    Map<?, ?> result = (Map<?, ?>) delays;
    assertThat(result.get("a")).isEqualTo(List.of(500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L, 15000L));
    assertThat(result.get("b")).isEqualTo(List.of(250L, 500L, 1000L, 2000L, 4000L, 7500L, 7500L, 7500L));
    assertThat(result.get("afterReset")).isEqualTo(500L);
  }

  // ---------------------------------------------------------------------------------------------

  /** A relay on loopback with ephemeral ports (callers may set fixed ones afterwards). */
  private static CameraRelay.Builder relayBuilder() {
    return CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0);
  }

  private static CameraRelay startRelay(CameraRelay.Builder builder) throws IOException {
    CameraRelay r = builder.build();
    r.start();
    return r;
  }

  /**
   * A relay on the ports a closed one used. The old listening sockets may take a moment to be released
   * after close() returns, so binding is retried (the test is about the page's reconnect, not about that).
   */
  private static CameraRelay restartOn(int tcp, int ws, int http) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        return startRelay(relayBuilder().tcpPort(tcp).wsPort(ws).httpPort(http));
      } catch (java.net.BindException e) {
        if (System.nanoTime() > deadline) throw e;
        Thread.sleep(100);
      }
    }
  }

  private static SimulatedCamera startCamera(CameraRelay r, String id, String token) {
    SimulatedCamera.Builder b = SimulatedCamera.builder().relay("127.0.0.1", r.tcpPort()).cameraId(id)
        .size(WIDTH, HEIGHT).fps(10);
    if (token != null) b.token(token);
    return b.build().start();
  }

  /** Width of the view's picture as drawn (its box less any letterboxing by object-fit: contain) / the window's. */
  private static double pictureShareOfWindowWidth(WebElement view) {
    return ((Number) js("const c = arguments[0].querySelector('canvas, img.picture'); const r = c.getBoundingClientRect();"
        + " const w = c.naturalWidth || c.width, h = c.naturalHeight || c.height;"
        + " return (w && h ? Math.min(r.width, r.height * w / h) : 0) / window.innerWidth", view)).doubleValue();
  }

  /** Opens the page in a window of this size and waits until the garage camera's view draws frames. */
  private static WebElement pageWithLiveGarage(int width, int height) {
    browser.driver.manage().window().setSize(new Dimension(width, height));
    browser.driver.get(pageUrl(relay, ""));
    WebElement view = view("garage");
    waitUntil(d -> "live".equals(view.getDomAttribute("data-state")) && frames(view) > 0);
    return view;
  }

  private static String pageUrl(CameraRelay r, String path) {
    return "http://127.0.0.1:" + r.httpPort() + "/" + path;
  }

  private static void focus(String id) {
    waitFor(d -> d.findElement(By.cssSelector(".camera-row[data-camera='" + id + "']"))).click();
    waitUntil(d -> ("#cam=" + id).equals(js("return location.hash")) && visible(d.findElement(By.id("focus"))) != null);
  }

  private static WebElement view(String id) {
    return waitFor(d -> d.findElement(By.cssSelector("article.view[data-camera='" + id + "']")));
  }

  private static long frames(WebElement view) {
    String frames = view.getDomAttribute("data-frames");
    return frames == null ? 0 : Long.parseLong(frames);
  }

  private static WebElement visible(WebElement element) {
    return element.isDisplayed() ? element : null;
  }

  private static BufferedImage readImage(Path file) {
    try {
      return ImageIO.read(file.toFile());
    } catch (IOException e) {
      return null; // still being written
    }
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser.driver).executeScript(script, args);
  }

  private static <T> T waitFor(Function<org.openqa.selenium.WebDriver, T> condition) {
    return new WebDriverWait(browser.driver, PATIENCE, Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }

  private static void waitUntil(Function<org.openqa.selenium.WebDriver, Boolean> condition) {
    waitFor(d -> condition.apply(d) ? Boolean.TRUE : null);
  }
}
