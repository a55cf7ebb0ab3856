package dev.camrelay.cli.simulate;

import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.ProtocolException;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.frame.wire.Welcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The camera side of one framed-protocol v1 connection (frame-protocol/PROTOCOL.md): encodes what the camera sends,
 * decodes what the relay sends and hands it to a {@link Handler}. Writes are serialized so the sending loop and the
 * reader thread (replies, PONGs) never interleave bytes.
 */
final class FramedLink {
  /** Called on the reader thread for each message of interest. */
  interface Handler {
    void welcome(int version, boolean stream, long maxPayload);

    void control(long requestId, String json);

    void ping(byte[] data);

    /** The relay sent BYE or ERROR; it closes the connection next. */
    void closing(String kind, int code, String reason);
  }

  private final OutputStream out;

  FramedLink(OutputStream out) {
    this.out = out;
  }

  void hello(String cameraId, String token, boolean onDemand, String firmware) throws IOException {
    int caps = Hello.CONTROL | (onDemand ? Hello.ON_DEMAND : 0);
    send(Message.hello(new Hello(Message.VERSION, caps, cameraId, token, firmware)));
  }

  void frame(long sequence, long timestampMicros, byte[] jpeg) throws IOException {
    send(Message.frame(sequence, timestampMicros, jpeg));
  }

  void controlReply(long requestId, String json) throws IOException {
    send(Message.control(requestId, json, true));
  }

  void ping(byte[] data) throws IOException {
    send(Message.ping(data));
  }

  void pong(byte[] data) throws IOException {
    send(Message.pong(data));
  }

  void bye(int code, String reason) throws IOException {
    send(Message.bye(code, reason));
  }

  private void send(Message message) throws IOException {
    synchronized (out) {
      MessageEncoder.write(message, out);
      out.flush();
    }
  }

  /** Reads messages until the stream ends or fails; protocol errors surface as IOExceptions. */
  static void readLoop(InputStream in, int maxPayload, Handler handler) throws IOException {
    ProtocolException[] bad = new ProtocolException[1];
    MessageDecoder decoder = new MessageDecoder(maxPayload, m -> {
      try {
        dispatch(m, handler);
      } catch (ProtocolException e) {
        bad[0] = e;
      }
    });
    byte[] buf = new byte[16 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      decoder.feed(buf, 0, n);
      if (bad[0] != null) {
        throw bad[0];
      }
    }
  }

  private static void dispatch(Message m, Handler handler) throws ProtocolException {
    MessageType type = m.type();
    if (type == null) {
      return; // unknown types without MUST_UNDERSTAND are skipped by the decoder's contract
    }
    switch (type) {
      case WELCOME -> {
        Welcome w = Welcome.decode(m);
        handler.welcome(w.version(), w.stream(), w.maxPayload());
      }
      case CONTROL -> {
        Control c = Control.decode(m);
        if (!c.reply()) {
          handler.control(c.requestId(), c.json());
        }
      }
      case PING -> handler.ping(m.payloadBytes());
      case BYE, ERROR -> {
        Reason r = Reason.decode(m);
        handler.closing(type.name(), r.code(), r.reason());
      }
      default -> { }
    }
  }
}
