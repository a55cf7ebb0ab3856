package dev.camrelay.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.CameraId;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code camrelay firmware <camera> <image.bin>}: hands a running relay a firmware image for one camera through its
 * admin API ({@code POST /api/cameras/{id}/firmware}), then follows the update ({@code GET
 * /api/cameras/{id}/firmware}, once a second) and prints one line per state until it is confirmed, failed, rolled
 * back or the wait ends. Exit status: 0 confirmed (or offered, with {@code --no-wait}), 1 anything else.
 */
@Command(
    name = "firmware",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Updates a camera's firmware through a running relay: the relay keeps the image, tells the camera (framed"
          + " protocol, firmware with updates) where to download it with its size and SHA-256, and the camera"
          + " writes it, restarts into it and confirms it once it reaches the relay again (else it rolls back).",
      "Needs the relay's admin token (--admin-token or CAMRELAY_ADMIN_TOKEN).",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  camrelay firmware garage build/camrelay_cam.ino.bin --relay http://nas:3010",
      "  CAMRELAY_ADMIN_TOKEN=... camrelay firmware porch fw.bin --firmware-version 1.4.0 --no-wait"
    })
final class FirmwareCommand implements Callable<Integer> {
  private static final Set<String> FINAL = Set.of("confirmed", "failed", "rolled-back", "refused", "expired");

  @Spec CommandSpec spec;

  @ParentCommand CamrelayCommand relay;

  @Parameters(index = "0", paramLabel = "CAMERA", description = "The camera to update.")
  String cameraId;

  @Parameters(index = "1", paramLabel = "FILE", description = "The firmware image (the .bin Arduino exports).")
  Path file;

  @Option(names = "--relay", paramLabel = "URL",
      description = "The relay's HTTP address, e.g. http://nas:3010 (default: http://localhost and --http-port).")
  String relayUrl;

  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = "The relay's admin token (default: the relay's own setting, CAMRELAY_ADMIN_TOKEN).")
  String adminToken;

  @Option(names = "--firmware-version", paramLabel = "VERSION",
      description = "The version the camera is told it updates to, e.g. 1.4.0 (shown in its log and the API).")
  String version;

  @Option(names = "--no-wait", description = "Return once the camera has taken the offer.")
  boolean noWait;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "How long to follow the update (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (!CameraId.isValid(cameraId)) {
      throw new ParameterException(cl, "invalid camera id '" + cameraId + "': want " + CameraId.RULE);
    }
    String token = adminToken != null ? adminToken : relay.admin.adminToken;
    if (token == null) {
      throw new ParameterException(cl, "the relay's admin token is needed: --admin-token TOKEN or"
          + " CAMRELAY_ADMIN_TOKEN");
    }
    byte[] image = readImage();
    URI base = baseUrl(cl);
    PrintWriter out = cl.getOut();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String query = version == null ? "" : "?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8);
    HttpResponse<String> offered = send(client, HttpRequest.newBuilder(api(base, query))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/octet-stream")
        .timeout(Duration.ofMinutes(3))
        .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), base);
    JsonObject answer = json(offered.body());
    if (offered.statusCode() != 202) {
      throw new UserError("camrelay firmware: the relay answered " + offered.statusCode() + ": "
          + text(answer, "error", offered.body().strip()));
    }
    out.println("camera '" + cameraId + "' took the update: " + image.length + " bytes, sha256 "
        + text(answer, "sha256", "?") + (version != null ? ", version " + version : ""));
    out.flush();
    if (noWait) {
      return 0;
    }
    return follow(client, base, token, out, cl.getErr());
  }

  /** Prints each new state until a final one; 0 when confirmed. */
  private int follow(HttpClient client, URI base, String token, PrintWriter out, PrintWriter err)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String shown = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send(client, HttpRequest.newBuilder(api(base, ""))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build(), base);
      JsonObject s = json(r.body());
      String state = text(s, "state", "unknown");
      String line = describe(s, state);
      if (r.statusCode() == 200 && !line.equals(shown)) {
        out.println(line);
        out.flush();
        shown = line;
      }
      if (FINAL.contains(state)) {
        return state.equals("confirmed") ? 0 : 1;
      }
      Thread.sleep(1000);
    }
    err.println("camrelay firmware: no final state within " + timeout.toSeconds() + " s; the relay keeps"
        + " following the update (GET /api/cameras/" + cameraId + "/firmware)");
    return 1;
  }

  private static String describe(JsonObject s, String state) {
    return switch (state) {
      case "downloading" -> {
        long size = s.has("size") ? s.get("size").getAsLong() : 0;
        long received = s.has("received") ? s.get("received").getAsLong() : 0;
        yield "downloading: " + received + " of " + size + " bytes" + (size > 0 ? " (" + received * 100 / size + " %)"
            : "");
      }
      case "offered", "rebooting", "confirmed" -> state + (s.has("version") && !s.get("version").isJsonNull()
          ? ": version " + s.get("version").getAsString() : "");
      default -> state + ": " + text(s, "error", "(no reason given)");
    };
  }

  private byte[] readImage() {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UserError("camrelay firmware: no such file: " + file);
    } catch (IOException e) {
      throw new UserError("camrelay firmware: cannot read " + file + ": " + e.getMessage());
    }
  }

  private HttpResponse<String> send(HttpClient client, HttpRequest request, URI base) throws InterruptedException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new UserError("camrelay firmware: cannot reach the relay at " + base + " (is it running? --relay URL)");
    } catch (HttpTimeoutException e) {
      throw new UserError("camrelay firmware: the relay at " + base + " did not answer in time");
    } catch (IOException e) {
      throw new UserError("camrelay firmware: talking to the relay at " + base + " failed: " + e);
    }
  }

  private URI api(URI base, String query) {
    return base.resolve("/api/cameras/" + cameraId + "/firmware" + query);
  }

  private URI baseUrl(CommandLine cl) {
    if (relayUrl == null) {
      return URI.create((relay.tls.enabled() ? "https" : "http") + "://localhost:" + relay.listen.httpPort + "/");
    }
    try {
      URI uri = new URI(relayUrl);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new URISyntaxException(relayUrl, "want http(s)://host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ParameterException(cl, "--relay '" + relayUrl + "' is not usable: " + e.getReason());
    }
  }

  private static JsonObject json(String body) {
    try {
      JsonElement e = JsonParser.parseString(body);
      return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    } catch (JsonParseException e) {
      return new JsonObject();
    }
  }

  private static String text(JsonObject o, String key, String otherwise) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : otherwise;
  }
}
