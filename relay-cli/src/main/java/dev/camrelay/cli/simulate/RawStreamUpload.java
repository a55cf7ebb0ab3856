package dev.camrelay.cli.simulate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Raw JPEGs back to back on one persistent connection ({@code FFD8…FFD9 FFD8…FFD9 …}); nothing is read back. */
final class RawStreamUpload implements Upload {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCamera.class);

  private final UploadContext c;

  RawStreamUpload(UploadContext context) {
    this.c = context;
  }

  @Override
  public boolean run() throws IOException {
    Socket s = c.relay.connect();
    OutputStream out = s.getOutputStream();
    c.counters.connected();
    log.info("camera '{}' connected to {} (raw JPEG stream)", c.cameraId, c.relay.address());
    Pacer pacer = c.pacer();
    for (byte[] jpeg; (jpeg = c.nextPacedFrame(pacer)) != null; ) {
      out.write(jpeg);
      out.flush();
      c.sent(jpeg);
    }
    return true;
  }
}
