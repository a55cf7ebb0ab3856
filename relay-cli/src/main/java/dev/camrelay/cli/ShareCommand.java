package dev.camrelay.cli;

import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.ShareLinkSigner;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
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
 * {@code camrelay share <camera> --for 24h}: prints a share link, the web page opened on one camera plus its MJPEG
 * and snapshot URLs, each carrying a signed token that the relay accepts for that camera until it expires. Offline:
 * it signs with the relay's share key ({@code --share-key}, else the relay's {@code CAMRELAY_SHARE_KEY} or config
 * file) or, without one, with a key derived from the relay's global viewer token, exactly as the relay does.
 */
@Command(
    name = "share",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Prints a link that lets anyone who has it watch one camera until it expires (a signed token in the URL).",
      "The link is signed with the relay's share key, or, when the relay has none, with a key derived from its"
          + " viewer token; so run it where the relay's CAMRELAY_SHARE_KEY / CAMRELAY_VIEWER_TOKEN or --config file"
          + " is, or pass --share-key. Links cannot be revoked one by one: changing that key (or viewer token) ends"
          + " them all.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  camrelay share garage --for 24h --url https://relay.example:3010",
      "  CAMRELAY_SHARE_KEY=... camrelay share porch --for 30m"
    })
final class ShareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand CamrelayCommand relay;

  @Parameters(index = "0", paramLabel = "CAMERA", description = "The camera id the link opens.")
  String cameraId;

  @Option(names = "--for", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
      description = "How long the link works, e.g. 30m, 24h, 7d (default: ${DEFAULT-VALUE}; at most 366 days).")
  Duration validFor;

  @Option(names = "--url", paramLabel = "URL",
      description = "The relay's HTTP address as the viewers reach it, e.g. https://relay.example:3010. Default:"
          + " this machine's address and the relay's --http-port.")
  String url;

  @Option(names = "--share-key", paramLabel = "SECRET",
      description = "The relay's share key. Default: the relay's own --share-key setting (CAMRELAY_SHARE_KEY, the"
          + " config file), else a key derived from its global --viewer-token.")
  String shareKey;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (!CameraId.isValid(cameraId)) {
      throw new ParameterException(cl, "invalid camera id '" + cameraId + "': want " + CameraId.RULE);
    }
    if (validFor.isZero() || validFor.isNegative() || validFor.compareTo(ShareLinkSigner.MAX_VALIDITY) > 0) {
      throw new ParameterException(cl, "--for must be more than 0 and at most "
          + ShareLinkSigner.MAX_VALIDITY.toDays() + " days");
    }
    String base = baseUrl(cl);
    Instant expiresAt = Instant.now().plus(validFor).truncatedTo(ChronoUnit.SECONDS);
    String token = signer(cl).sign(cameraId, expiresAt);
    PrintWriter out = cl.getOut();
    out.println("Share link for camera '" + cameraId + "', valid until " + expiresAt + ":");
    row(out, "Viewer", base + "/?token=" + token + "#cam=" + cameraId);
    row(out, "MJPEG", base + "/cam/" + cameraId + "/stream.mjpeg?token=" + token);
    row(out, "Snapshot", base + "/cam/" + cameraId + "/snapshot.jpg?token=" + token);
    out.println("Anyone with these URLs can watch '" + cameraId + "' until then. Changing the relay's share key"
        + " (or the viewer token it is derived from) ends every link.");
    if (url == null) {
      out.println("The address is a guess from this machine; give --url with the one your viewers use.");
    }
    out.flush();
    return 0;
  }

  private ShareLinkSigner signer(CommandLine cl) {
    String key = shareKey != null ? shareKey : relay.access.shareKey;
    try {
      if (key != null) {
        return ShareLinkSigner.withShareKey(key);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }
    String viewerToken = relay.access.viewerTokens(cl).global();
    if (viewerToken == null) {
      throw new ParameterException(cl, "no key to sign the link with: give the relay's share key (--share-key or"
          + " CAMRELAY_SHARE_KEY), or, for a relay without one, its viewer token (CAMRELAY_VIEWER_TOKEN or"
          + " camrelay --viewer-token TOKEN share ...)");
    }
    return ShareLinkSigner.withViewerToken(viewerToken);
  }

  /** The relay's base URL without a trailing slash: --url checked, or a guess from this machine and the options. */
  private String baseUrl(CommandLine cl) {
    if (url == null) {
      List<String> hosts = HostAddresses.forBind(relay.listen.bind);
      String host = hosts.size() > 1 ? hosts.get(1) : hosts.get(0);
      return (relay.tls.enabled() ? "https" : "http") + "://" + host + ":" + relay.listen.httpPort;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawQuery() != null
          || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(url, "want http(s)://host[:port][/path], without query or fragment");
      }
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    } catch (URISyntaxException e) {
      throw new ParameterException(cl, "--url '" + url + "' is not usable: " + e.getReason());
    }
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf("  %-9s %s%n", label, value);
  }
}
