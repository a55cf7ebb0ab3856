package dev.camrelay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the camrelay version (filtered in by the build) and the Java runtime. */
final class VersionProvider implements IVersionProvider {
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "camrelay " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
          + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")"
    };
  }
}
