package dev.camrelay.cli.firmware;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.MessageType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A framed camera in Java that updates itself as the firmware does (esp32-arduino/camrelay_cam/src/camrelay/ota.h):
 * accepts an {@code ota} offer, downloads the URL, checks size and SHA-256, reports {@code downloading} and then
 * {@code rebooting} (or {@code failed}), "restarts" by reconnecting, and reports {@code confirmed} after WELCOME. It
 * stands in for the firmware's host client where that cannot run; {@code corruptDownloads} flips a byte of what it
 * downloaded, as a damaged transfer would.
 */
final class OtaCamera implements AutoCloseable {
  private final int port;
  private final String id;
  private final String token;
  private final boolean corruptDownloads;
  private final HttpClient http = HttpClient.newHttpClient();
  /** The bytes of the image the camera restarted into (completed once it has). */
  final CompletableFuture<byte[]> installed = new CompletableFuture<>();
  private volatile Socket socket;
  private volatile String pendingConfirmation;

  OtaCamera(int port, String id, String token, boolean corruptDownloads) throws IOException {
    this.port = port;
    this.id = id;
    this.token = token;
    this.corruptDownloads = corruptDownloads;
    connect();
  }

  private void connect() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    socket = s;
    send(s, Message.hello(new Hello(1, Hello.CONTROL, id, token, "ota-camera/1")));
    Thread reader = new Thread(() -> read(s), "ota-camera");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Socket s) {
    MessageDecoder decoder = new MessageDecoder(m -> onMessage(s, m));
    byte[] buf = new byte[8192];
    try (InputStream in = s.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        decoder.feed(buf, 0, n);
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void onMessage(Socket s, Message m) {
    try {
      if (m.type() == MessageType.PING) {
        send(s, Message.pongFor(m));
      } else if (m.type() == MessageType.WELCOME && pendingConfirmation != null) {
        event(s, "{\"event\":\"ota\",\"state\":\"confirmed\",\"version\":\"" + pendingConfirmation + "\"}");
        pendingConfirmation = null;
      } else if (m.type() == MessageType.CONTROL) {
        Control c = Control.decode(m);
        JsonObject command = JsonParser.parseString(c.json()).getAsJsonObject();
        if ("ota".equals(command.get("cmd").getAsString())) {
          send(s, Message.control(c.requestId(), "{\"ok\":true,\"ota\":\"downloading\"}", true));
          Thread t = new Thread(() -> update(s, command), "ota-camera-download");
          t.setDaemon(true);
          t.start();
        } else {
          send(s, Message.control(c.requestId(), "{\"ok\":true}", true));
        }
      }
    } catch (Exception e) {
      // the connection went away
    }
  }

  private void update(Socket s, JsonObject offer) {
    try {
      long size = offer.get("size").getAsLong();
      byte[] image = http.send(HttpRequest.newBuilder(URI.create(offer.get("url").getAsString())).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
      if (corruptDownloads && image.length > 0) {
        image[image.length / 2] ^= 0x5a;
      }
      event(s, "{\"event\":\"ota\",\"state\":\"downloading\",\"received\":" + image.length + ",\"size\":" + size + "}");
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
      if (image.length != size) {
        event(s, "{\"event\":\"ota\",\"state\":\"failed\",\"error\":\"short image\"}");
        return;
      }
      if (!sha.equals(offer.get("sha256").getAsString())) {
        event(s, "{\"event\":\"ota\",\"state\":\"failed\",\"error\":\"sha256 mismatch: the image is damaged\"}");
        return;
      }
      String version = offer.has("version") ? offer.get("version").getAsString() : "new";
      event(s, "{\"event\":\"ota\",\"state\":\"rebooting\",\"version\":\"" + version + "\"}");
      pendingConfirmation = version;
      s.close();
      installed.complete(image);
      connect();
    } catch (Exception e) {
      installed.completeExceptionally(e);
    }
  }

  private static void event(Socket s, String json) throws IOException {
    send(s, Message.control(0, json, false));
  }

  private static void send(Socket s, Message m) throws IOException {
    synchronized (s) {
      OutputStream out = s.getOutputStream();
      out.write(MessageEncoder.encode(m));
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
