package dev.camrelay.cli.simulate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One TCP connection per JPEG, closed after the frame, like the original hobby sketch. */
final class PerFrameUpload implements Upload {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCamera.class);

  private final UploadContext c;

  PerFrameUpload(UploadContext context) {
    this.c = context;
  }

  @Override
  public boolean run() throws IOException {
    Pacer pacer = c.pacer();
    boolean any = false;
    for (byte[] jpeg; (jpeg = c.nextPacedFrame(pacer)) != null; ) {
      Socket s = c.relay.connect();
      try {
        if (!any) {
          log.info("camera '{}' sending to {} (one connection per frame)", c.cameraId, c.relay.address());
        }
        c.counters.connected();
        OutputStream out = s.getOutputStream();
        out.write(jpeg);
        out.flush();
        RelayConnector.endOfFrame(s); // the end of the connection is the end of the frame
        c.sent(jpeg);
        any = true;
      } finally {
        RelayConnector.closeQuietly(s);
      }
    }
    return any;
  }
}
