package dev.camrelay.relay.internal.ws;

import java.util.Collections;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.IProtocol;

/**
 * RFC 6455 with a message size limit chosen by path: camera ingest ({@code /ingest/...}) may send frames up to the
 * relay's max frame size, viewers only control messages (8 KiB). No extensions (so every server frame of a given
 * JPEG is the same bytes for every viewer); any subprotocol offer is accepted by {@link SubprotocolChooser}.
 */
final class RelayDraft extends Draft_6455 {
  private final boolean ingest;

  RelayDraft(boolean ingest, int maxMessageBytes) {
    super(Collections.<IExtension>singletonList(new DefaultExtension()),
        Collections.<IProtocol>singletonList(new SubprotocolChooser()), maxMessageBytes);
    this.ingest = ingest;
  }

  static boolean isIngestPath(String resourceDescriptor) {
    return resourceDescriptor != null && resourceDescriptor.startsWith(WsServer.INGEST_PREFIX);
  }

  @Override
  public HandshakeState acceptHandshakeAsServer(ClientHandshake handshake) throws InvalidHandshakeException {
    if (isIngestPath(handshake.getResourceDescriptor()) != ingest) {
      return HandshakeState.NOT_MATCHED;
    }
    return super.acceptHandshakeAsServer(handshake);
  }

  @Override
  public Draft copyInstance() {
    return new RelayDraft(ingest, getMaxFrameSize());
  }

  boolean ingest() {
    return ingest;
  }

  static List<Draft> both(int maxFrameBytes, int maxControlBytes) {
    return List.of(new RelayDraft(true, maxFrameBytes), new RelayDraft(false, maxControlBytes));
  }
}
