package dev.camrelay.cli;

/**
 * Configures slf4j-simple through its system properties. It must run before the first logger is created (slf4j-simple
 * reads the properties once), so commands keep no static loggers and this runs before any command's {@code call()}.
 * A property the user set with {@code -D} wins.
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  /**
   * The most Java-WebSocket may log: its TRACE output dumps every byte read and written, handshakes included, so
   * request lines with {@code ?token=}, {@code Authorization} headers and {@code bearer.} subprotocols would reach the
   * log. Its DEBUG level has nothing of its own; its errors and warnings carry no request data.
   */
  static final String WEBSOCKET_LIBRARY_MAX = "debug";

  /**
   * Sets the log level from the verbosity: -1 (quiet) warnings and errors only, 0 info, 1 debug, 2+ trace (including
   * the network libraries, which stay at warn/info otherwise). Java-WebSocket never goes below
   * {@link #WEBSOCKET_LIBRARY_MAX}; Netty's TRACE is allowed, since the relay adds no LoggingHandler and Netty's HTTP
   * codec and TLS handler log no request lines or headers.
   */
  static void configure(int verbosity) {
    String level = verbosity < 0 ? "warn" : verbosity == 0 ? "info" : verbosity == 1 ? "debug" : "trace";
    String libraries = verbosity >= 2 ? "trace" : verbosity == 1 ? "info" : "warn";
    setDefault("defaultLogLevel", level);
    setDefault("log.io.netty", libraries);
    setDefault("log.org.java_websocket", verbosity >= 2 ? WEBSOCKET_LIBRARY_MAX : libraries);
    setDefault("showDateTime", "true");
    setDefault("dateTimeFormat", "HH:mm:ss.SSS");
    setDefault("showThreadName", verbosity >= 1 ? "true" : "false");
    setDefault("showLogName", "false");
    setDefault("showShortLogName", "true");
    setDefault("levelInBrackets", "true");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
