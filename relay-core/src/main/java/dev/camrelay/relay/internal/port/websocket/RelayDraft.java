package dev.camrelay.relay.internal.port.websocket;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.IProtocol;

/**
 * RFC 6455 with a message size limit chosen by path: camera ingest ({@code /ingest/...}) may send frames up to the
 * relay's max frame size, viewers only control messages (8 KiB). No extensions (so every server frame of a given
 * JPEG is the same bytes for every viewer); any subprotocol offer is accepted by {@link SubprotocolChooser}.
 *
 * <p>A peer's bad frame (invalid UTF-8, a length beyond 2^31, a protocol violation) closes the connection with the
 * library's close code and reason, but through {@link QuietClose}: the library itself would log every such frame at
 * ERROR with a stack trace, so any client could fill the log.
 */
final class RelayDraft extends Draft_6455 {
  private final boolean ingest;
  private final boolean seed;
  // The fragmented message being received, if any (a draft instance serves one connection, on one thread).
  private boolean inMessage;
  private long fragmentBytes;

  RelayDraft(boolean ingest, int maxMessageBytes, boolean seed) {
    super(Collections.<IExtension>singletonList(new DefaultExtension()),
        Collections.<IProtocol>singletonList(new SubprotocolChooser(seed)), maxMessageBytes);
    this.ingest = ingest;
    this.seed = seed;
  }

  static boolean isIngestPath(String resourceDescriptor) {
    return resourceDescriptor != null && resourceDescriptor.startsWith(HandshakeRouter.INGEST_PREFIX);
  }

  /** Camera ingest: the ingest path, or with seed compatibility a seed camera at {@code /}. */
  private boolean isIngest(ClientHandshake handshake) {
    return isIngestPath(handshake.getResourceDescriptor()) || (seed
        && SeedClients.isCamera(handshake.getResourceDescriptor(), handshake.getFieldValue("Sec-WebSocket-Protocol")));
  }

  @Override
  public HandshakeState acceptHandshakeAsServer(ClientHandshake handshake) throws InvalidHandshakeException {
    if (isIngest(handshake) != ingest) {
      return HandshakeState.NOT_MATCHED;
    }
    return super.acceptHandshakeAsServer(handshake);
  }

  @Override
  public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
    try {
      return super.translateFrame(buffer);
    } catch (InvalidDataException e) {
      throw QuietClose.of(e);
    }
  }

  @Override
  public void processFrame(WebSocketImpl webSocketImpl, Framedata frame) throws InvalidDataException {
    checkFragments(frame);
    try {
      super.processFrame(webSocketImpl, frame);
    } catch (InvalidDataException e) {
      throw QuietClose.of(e);
    }
  }

  /**
   * Checks fragmentation before the library does: it tests a fragmented message against the size limit only at its
   * first and last fragment (so endless continuation fragments would fill the heap), and it logs misplaced fragments
   * at ERROR. Too large: close 1009; a continuation with nothing to continue, or a new message inside a fragmented
   * one: close 1002.
   */
  private void checkFragments(Framedata frame) throws InvalidDataException {
    Opcode opcode = frame.getOpcode();
    if (opcode == Opcode.CONTINUOUS) {
      if (!inMessage) {
        throw new QuietClose(CloseFrame.PROTOCOL_ERROR, "continuation frame without a message to continue");
      }
      fragmentBytes += frame.getPayloadData().remaining();
      if (fragmentBytes > getMaxFrameSize()) {
        throw new LimitExceededException("message larger than " + getMaxFrameSize() + " bytes", getMaxFrameSize());
      }
      if (frame.isFin()) {
        inMessage = false;
        fragmentBytes = 0;
      }
    } else if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
      if (inMessage) {
        throw new QuietClose(CloseFrame.PROTOCOL_ERROR, "a new message before the fragmented one ended");
      }
      inMessage = !frame.isFin();
      fragmentBytes = inMessage ? frame.getPayloadData().remaining() : 0;
    }
  }

  /**
   * The same close code and reason, as the one exception type the library closes on without logging (a
   * {@link LimitExceededException} whose limit is not {@link Integer#MAX_VALUE}).
   */
  static final class QuietClose extends LimitExceededException {
    private static final long serialVersionUID = 1L;
    private final int closeCode;

    QuietClose(int closeCode, String reason) {
      super(reason, 0);
      this.closeCode = closeCode;
    }

    static InvalidDataException of(InvalidDataException e) {
      if (e instanceof LimitExceededException limit && limit.getLimit() != Integer.MAX_VALUE) {
        return e; // already closed without logging
      }
      return new QuietClose(e.getCloseCode(), e.getMessage());
    }

    @Override
    public int getCloseCode() {
      return closeCode;
    }
  }

  @Override
  public Draft copyInstance() {
    return new RelayDraft(ingest, getMaxFrameSize(), seed);
  }

  boolean ingest() {
    return ingest;
  }

  static List<Draft> both(int maxFrameBytes, int maxControlBytes, boolean seed) {
    return List.of(new RelayDraft(true, maxFrameBytes, seed), new RelayDraft(false, maxControlBytes, seed));
  }
}
