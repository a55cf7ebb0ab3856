package dev.camrelay.cli;

import dev.camrelay.frame.wire.CameraId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --pull ID=URL}: MJPEG streams the relay pulls in as cameras. */
final class PullOptions {
  @Option(names = "--pull", paramLabel = "ID=URL", split = ",",
      description = "Pull an MJPEG stream as camera ID, e.g. an ESP32 web server's stream (port 81, path"
          + " /stream). Repeatable.")
  List<String> pulls = new ArrayList<>();

  /** Camera id → http(s) URL, in the order given; a usage error for a bad id, a bad URL or an id given twice. */
  Map<String, URI> parse(CommandLine cl) {
    Map<String, URI> out = new LinkedHashMap<>();
    for (String value : pulls) {
      int eq = value.indexOf('=');
      String id = eq > 0 ? value.substring(0, eq) : "";
      if (!CameraId.isValid(id)) {
        throw new ParameterException(cl, "--pull '" + value
            + "': expected ID=URL with ID of " + CameraId.RULE + ", e.g. garage=http://192.168.1.40:81/stream");
      }
      URI uri;
      try {
        uri = new URI(value.substring(eq + 1));
      } catch (URISyntaxException e) {
        throw new ParameterException(cl, "--pull '" + value + "': bad URL: " + e.getMessage());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ParameterException(cl, "--pull '" + value + "': the URL must be http:// or https:// with a host");
      }
      if (out.put(id, uri) != null) {
        throw new ParameterException(cl, "--pull: camera '" + id + "' given twice");
      }
    }
    return out;
  }
}
