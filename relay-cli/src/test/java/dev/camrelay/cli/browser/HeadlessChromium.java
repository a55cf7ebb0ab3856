package dev.camrelay.cli.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven by Selenium with the Debian binaries only.
 *
 * <p>The browser is /usr/bin/chromium and the driver /usr/bin/chromedriver (given through the
 * {@code webdriver.chrome.driver} property), so Selenium Manager never runs and nothing is downloaded;
 * {@link #start} checks Selenium's own log line for that. Everything the browser could fetch on its own
 * (component updates, QUIC, sync, first-run pages) is switched off: it only talks to loopback.
 */
final class HeadlessChromium implements AutoCloseable {
  /** Debian's paths; -Dcamrelay.test.chromium=… / -Dcamrelay.test.chromedriver=… point elsewhere. */
  static final Path CHROMIUM = Path.of(System.getProperty("camrelay.test.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("camrelay.test.chromedriver", "/usr/bin/chromedriver"));

  final ChromeDriver driver;
  final Path downloads;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile, Path downloads) {
    this.driver = driver;
    this.profile = profile;
    this.downloads = downloads;
  }

  /** Why the browser cannot run here, or null if it can. */
  static String unavailableReason() {
    if (!Files.isExecutable(CHROMIUM)) {
      return CHROMIUM + " is missing (install Debian's chromium package to run the browser test)";
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      return CHROMEDRIVER + " is missing (install Debian's chromium-driver package to run the browser test)";
    }
    return null;
  }

  /** Starts the browser with a fresh profile and download folder under {@code workDir}. */
  static HeadlessChromium start(Path workDir, int width, int height) throws IOException {
    // Chrome wants absolute paths for its profile and download folder.
    Path profile = Files.createTempDirectory(workDir.toAbsolutePath(), "chromium-profile");
    Path downloads = Files.createDirectories(workDir.toAbsolutePath().resolve("downloads"));
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    options.setExperimentalOption("prefs", prefs);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);

    SeleniumLog seleniumLog = new SeleniumLog();
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(options);
    } finally {
      seleniumLog.close();
    }
    HeadlessChromium browser = new HeadlessChromium(driver, profile, downloads);
    if (!seleniumLog.skippedSeleniumManager || !seleniumLog.seleniumManagerMessages.isEmpty()) {
      browser.close();
      throw new IllegalStateException("Selenium Manager was not skipped (it could download a driver): "
          + seleniumLog.seleniumManagerMessages);
    }
    return browser;
  }

  /** Console messages and failed loads at SEVERE level since the last call. */
  List<String> severeBrowserLogs() {
    List<String> severe = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(entry.getMessage());
      }
    }
    return severe;
  }

  /** Saves a PNG of the window (for humans looking at the build's output). */
  Path screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temp profile under target/ is harmless
    }
  }

  /**
   * Watches Selenium's java.util.logging output while the driver starts: DriverFinder logs (at FINE)
   * that it skips Selenium Manager when the driver path comes from the system property; anything
   * from Selenium Manager itself means it ran. Also quiets the CDP version warnings (the page is
   * driven through WebDriver only, no CDP).
   */
  private static final class SeleniumLog extends Handler implements AutoCloseable {
    private final Logger finder = Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder");
    private final Logger manager = Logger.getLogger("org.openqa.selenium.manager");
    private final Logger devtools = Logger.getLogger("org.openqa.selenium.devtools");
    private final Logger chromium = Logger.getLogger("org.openqa.selenium.chromium");
    private final Level finderLevel = finder.getLevel();
    private final Level managerLevel = manager.getLevel();
    volatile boolean skippedSeleniumManager;
    final List<String> seleniumManagerMessages = new ArrayList<>();

    SeleniumLog() {
      setLevel(Level.ALL);
      finder.setLevel(Level.FINE);
      manager.setLevel(Level.ALL);
      finder.addHandler(this);
      manager.addHandler(this);
      devtools.setLevel(Level.SEVERE);
      chromium.setLevel(Level.SEVERE);
    }

    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (record.getLoggerName().startsWith("org.openqa.selenium.manager")) {
        synchronized (seleniumManagerMessages) {
          seleniumManagerMessages.add(message);
        }
      } else if (message != null && message.startsWith("Skipping Selenium Manager")) {
        skippedSeleniumManager = true;
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      finder.removeHandler(this);
      manager.removeHandler(this);
      finder.setLevel(finderLevel);
      manager.setLevel(managerLevel);
    }
  }
}
