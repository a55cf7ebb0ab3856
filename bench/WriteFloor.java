import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * The floor under any relay's CPU cost on loopback: one thread writes the same bytes (a 35 KB "frame" in a direct
 * buffer, no per-viewer copy in user space) to N loopback TCP sockets at a given frame rate, with nothing else to
 * do, and reports its own CPU seconds per GB written and how long one frame takes to reach all N sockets. A relay
 * cannot spend less per GB, nor hand a frame to N viewers faster, on the same machine, whatever its user-space code
 * does: the rest is the kernel's TCP send and loopback receive path, which the writer's system call pays for.
 *
 * <pre>
 *   java bench/WriteFloor.java [--viewers 200] [--fps 30] [--seconds 10] [--size 35000] [--sendfile] [--threads 1]
 *                              [--ingest none|stream|conn]
 * </pre>
 *
 * The readers run in a child JVM (as fast as they can), as the viewers do in a real run. {@code --sendfile} writes
 * with FileChannel.transferTo from a file in /dev/shm instead of write(2) (zero-copy on the sending side).
 * {@code --threads N} splits each frame's writes over N threads (the first writes its share on the frame's own
 * thread, as a relay's publishing thread does): the fastest a frame can reach all sockets with N cores writing; CPU
 * is then summed over the threads.
 *
 * <p>{@code --ingest} adds the camera's side, as bare as it can be: with {@code stream} each frame is first read
 * from one long-lived loopback connection a camera process writes to at the frame rate; with {@code conn} the camera
 * opens a connection per frame (the hobby sketch) and the writer accepts it, reads the frame to the end and closes
 * it before writing it to the sockets. The floor for a relay whose camera does the same: what the kernel charges
 * for receiving (and, per frame, accepting and closing) is in the writer's CPU too. Default {@code none}: the frame
 * is already in memory and the loop paces itself.
 */
public final class WriteFloor {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("sink")) {
      sink(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    if (args.length > 0 && args[0].equals("camera")) {
      camera(Integer.parseInt(args[1]), args[2].equals("conn"), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
      return;
    }
    int viewers = intArg(args, "--viewers", 200);
    int fps = intArg(args, "--fps", 30);
    int seconds = intArg(args, "--seconds", 10);
    int size = intArg(args, "--size", 35_000);
    boolean sendfile = java.util.Arrays.asList(args).contains("--sendfile");
    int threads = intArg(args, "--threads", 1);
    String ingest = stringArg(args, "--ingest", "none");
    if (!java.util.List.of("none", "stream", "conn").contains(ingest)) {
      throw new IllegalArgumentException("--ingest takes none, stream or conn, not " + ingest);
    }

    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), viewers);
    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    Process sink = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        sourceFile(), "sink", Integer.toString(port),
        Integer.toString(viewers)).inheritIO().start();
    SocketChannel[] out = new SocketChannel[viewers];
    for (int i = 0; i < viewers; i++) {
      out[i] = server.accept();
      out[i].configureBlocking(false);
      out[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
    // One spare byte: a per-frame camera connection is read to its end, and a longer one must show.
    ByteBuffer frame = ByteBuffer.allocateDirect(size + 1);
    byte[] noise = new byte[size];
    new Random(1).nextBytes(noise);
    frame.put(noise).flip();
    int frames = fps * seconds;
    ServerSocketChannel cameraPort = null;
    SocketChannel cameraStream = null;
    Process camera = null;
    if (!ingest.equals("none")) {
      cameraPort = ServerSocketChannel.open();
      cameraPort.bind(new InetSocketAddress("127.0.0.1", 0), 64);
      int cport = ((InetSocketAddress) cameraPort.getLocalAddress()).getPort();
      camera = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), sourceFile(), "camera",
          Integer.toString(cport), ingest, Integer.toString(fps), Integer.toString(frames), Integer.toString(size))
          .inheritIO().start();
      if (ingest.equals("stream")) {
        cameraStream = cameraPort.accept();
      }
    }
    Path file = Path.of("/dev/shm/writefloor-" + ProcessHandle.current().pid());
    FileChannel fc = sendfile ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE) : null;

    if (threads > 1 && fc != null) {
      throw new IllegalArgumentException("--threads with --sendfile is not supported");
    }
    Helpers helpers = threads > 1 ? new Helpers(threads - 1) : null;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] fanoutNanos = new long[frames];
    long bytes = 0;
    long cpu0 = mx.getCurrentThreadCpuTime() + (helpers == null ? 0 : helpers.cpu(mx, false));
    long user0 = mx.getCurrentThreadUserTime() + (helpers == null ? 0 : helpers.cpu(mx, true));
    long t0 = System.nanoTime();
    for (int f = 0; f < frames; f++) {
      if (cameraPort != null) {
        receive(frame, size, cameraPort, cameraStream);
      }
      long pos = 0;
      if (fc != null) {
        // A fresh region per frame: pages still referenced by unsent data are never overwritten.
        pos = (long) (f % 64) * size;
        if (pos == 0) {
          fc.truncate(0);
        }
        fc.write(frame.duplicate(), pos);
      }
      long burst = System.nanoTime();
      if (threads > 1) {
        helpers.writeFrame(frame, out);
      } else {
        for (SocketChannel c : out) {
          if (fc == null) {
            writeAll(frame.duplicate(), c);
          } else {
            long p = pos;
            long left = size;
            while (left > 0) {
              long n = fc.transferTo(p, left, c);
              p += n;
              left -= n;
            }
          }
        }
      }
      bytes += (long) size * out.length;
      fanoutNanos[f] = System.nanoTime() - burst;
      if (fps > 0 && cameraPort == null) {
        long due = t0 + (f + 1) * 1_000_000_000L / fps;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    }
    long cpu = mx.getCurrentThreadCpuTime() + (helpers == null ? 0 : helpers.cpu(mx, false)) - cpu0;
    long user = mx.getCurrentThreadUserTime() + (helpers == null ? 0 : helpers.cpu(mx, true)) - user0;
    if (helpers != null) {
      helpers.stop();
    }
    double gb = bytes / 1e9;
    java.util.Arrays.sort(fanoutNanos);
    double fanP50 = fanoutNanos[frames / 2] / 1e6;
    double fanP99 = fanoutNanos[Math.min(frames - 1, frames * 99 / 100)] / 1e6;
    System.out.printf("{\"tool\":\"WriteFloor\",\"write\":\"%s\",\"viewers\":%d,\"fps\":%d,\"frame_bytes\":%d,"
            + "\"delivered_gb\":%.2f,\"writer_cpu_s\":%.3f,\"writer_user_s\":%.3f,\"writer_sys_s\":%.3f,"
            + "\"cpu_s_per_gb\":%.3f,\"fanout_ms\":{\"p50\":%.2f,\"p99\":%.2f},\"threads\":%d,\"ingest\":\"%s\"}%n",
        fc == null ? "write(2)" : "sendfile", viewers, fps, size, gb,
        cpu / 1e9, user / 1e9, (cpu - user) / 1e9, cpu / 1e9 / gb, fanP50, fanP99, threads, ingest);
    if (camera != null) {
      camera.waitFor();
      if (cameraStream != null) {
        cameraStream.close();
      }
      cameraPort.close();
    }
    for (SocketChannel c : out) {
      c.close();
    }
    if (fc != null) {
      fc.close();
    }
    sink.waitFor();
  }

  /**
   * Reads the next frame into {@code frame}: from {@code stream}, or from a connection accepted on {@code port} and
   * read to its end (then closed).
   */
  private static void receive(ByteBuffer frame, int size, ServerSocketChannel port, SocketChannel stream)
      throws IOException {
    frame.clear();
    if (stream != null) {
      frame.limit(size);
      while (frame.hasRemaining()) {
        if (stream.read(frame) < 0) {
          throw new IOException("the camera closed its stream early");
        }
      }
    } else {
      try (SocketChannel c = port.accept()) {
        while (c.read(frame) >= 0) {
          if (frame.position() > size) {
            throw new IOException("a camera connection sent more than one frame");
          }
        }
      }
    }
    frame.flip();
  }

  /** The camera: {@code frames} frames of {@code size} bytes at {@code fps}, a connection each or all on one. */
  private static void camera(int port, boolean perFrame, int fps, int frames, int size) throws Exception {
    byte[] noise = new byte[size];
    new Random(2).nextBytes(noise);
    ByteBuffer frame = ByteBuffer.wrap(noise);
    SocketChannel stream = perFrame ? null : SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    long t0 = System.nanoTime();
    for (int f = 0; f < frames; f++) {
      frame.clear();
      if (perFrame) {
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
          writeAll(frame, c);
        }
      } else {
        writeAll(frame, stream);
      }
      long wait = t0 + (f + 1) * 1_000_000_000L / fps - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    if (stream != null) {
      stream.close();
    }
  }

  private static void writeAll(ByteBuffer b, SocketChannel c) throws IOException {
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  /**
   * Threads that each write one share of a frame's sockets while the calling thread writes the first share; the call
   * returns when all shares are written.
   */
  private static final class Helpers {
    private final Thread[] threads;
    private final java.util.concurrent.CyclicBarrier start;
    private final java.util.concurrent.CyclicBarrier done;
    private volatile ByteBuffer frame;
    private volatile SocketChannel[] out;
    private volatile boolean stopping;

    Helpers(int n) {
      threads = new Thread[n];
      start = new java.util.concurrent.CyclicBarrier(n + 1);
      done = new java.util.concurrent.CyclicBarrier(n + 1);
      for (int i = 0; i < n; i++) {
        int share = i + 1;
        threads[i] = new Thread(() -> {
          try {
            while (true) {
              start.await();
              if (stopping) {
                return;
              }
              writeShare(share);
              done.await();
            }
          } catch (Exception e) {
            // stopping
          }
        });
        threads[i].setDaemon(true);
        threads[i].start();
      }
    }

    void writeFrame(ByteBuffer f, SocketChannel[] sockets) throws Exception {
      frame = f;
      out = sockets;
      start.await();
      writeShare(0);
      done.await();
    }

    private void writeShare(int share) throws IOException {
      int shares = threads.length + 1;
      SocketChannel[] sockets = out;
      for (int i = share; i < sockets.length; i += shares) {
        writeAll(frame.duplicate(), sockets[i]);
      }
    }

    long cpu(ThreadMXBean mx, boolean userOnly) {
      long sum = 0;
      for (Thread t : threads) {
        sum += userOnly ? mx.getThreadUserTime(t.getId()) : mx.getThreadCpuTime(t.getId());
      }
      return sum;
    }

    void stop() throws Exception {
      stopping = true;
      start.await();
    }
  }

  private static String sourceFile() {
    // Launched as "java path/WriteFloor.java": the source path is the first non-option argument of the command line.
    String[] cmd = ProcessHandle.current().info().arguments().orElse(new String[0]);
    for (String a : cmd) {
      if (a.endsWith("WriteFloor.java")) {
        return a;
      }
    }
    return "WriteFloor.java";
  }

  /** Reads and discards everything from N connections until they all close. */
  private static void sink(int port, int n) throws IOException {
    Selector selector = Selector.open();
    for (int i = 0; i < n; i++) {
      SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
    int open = n;
    while (open > 0) {
      selector.select(1000);
      for (SelectionKey k : selector.selectedKeys()) {
        SocketChannel c = (SocketChannel) k.channel();
        int r;
        while ((r = c.read(buf)) > 0) {
          buf.clear();
        }
        if (r < 0) {
          k.cancel();
          c.close();
          open--;
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private static String stringArg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
