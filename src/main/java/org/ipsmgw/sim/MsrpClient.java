package org.ipsmgw.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpParseException;
import org.ipsmgw.msrp.MsrpParser;
import org.ipsmgw.msrp.MsrpWriter;

/** The CPM client's MSRP side: a TCP connection to the gateway's path, frames in and out. */
public final class MsrpClient implements AutoCloseable {
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private final Socket socket;
  private final OutputStream out;
  private final LinkedBlockingQueue<MsrpFrame> received = new LinkedBlockingQueue<>();
  private final Thread reader;
  private final Object delivery = new Object();
  private Consumer<MsrpFrame> requestHandler;
  /** The peer closed or broke the connection: no response will come any more. */
  private volatile boolean ended;
  public final String uri;

  public MsrpClient(String host, int port, String ourUri) throws IOException {
    this(new Socket(InetAddress.getByName(host), port), ourUri);
  }

  /** Over a connection the peer opened (this side passive, RFC 6135). */
  public MsrpClient(Socket socket, String ourUri) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.uri = ourUri;
    InputStream in = socket.getInputStream();
    MsrpParser parser = new MsrpParser(1 << 20);
    reader = new Thread(() -> {
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          deliver(parser.feed(buf, 0, n));
        }
      } catch (IOException | MsrpParseException ignored) {
        // Closed or broken: the test's awaits report what is missing.
      }
      ended = true;
    });
    reader.setDaemon(true);
    reader.start();
  }

  private void deliver(List<MsrpFrame> frames) {
    synchronized (delivery) {
      for (MsrpFrame f : frames) {
        if (requestHandler != null && f.isRequest()) {
          requestHandler.accept(f);
        } else {
          received.add(f);
        }
      }
    }
  }

  /**
   * From now on the peer's requests (SEND, REPORT) go to {@code handler} on the reading thread as
   * they arrive, requests already received first; responses stay for {@link #responseTo}.
   */
  public void onRequest(Consumer<MsrpFrame> handler) {
    synchronized (delivery) {
      requestHandler = handler;
      List<MsrpFrame> waiting = new java.util.ArrayList<>();
      received.drainTo(waiting);
      deliver(waiting);
    }
  }

  public void send(MsrpFrame frame) throws IOException {
    sendRaw(MsrpWriter.write(frame));
  }

  public synchronized void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public MsrpFrame next(Duration timeout) throws InterruptedException {
    MsrpFrame f = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (f == null) {
      throw new AssertionError("no MSRP frame within " + timeout);
    }
    return f;
  }

  /** The next frame that answers {@code transactionId}, skipping others (kept in order). */
  public MsrpFrame responseTo(String transactionId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    java.util.List<MsrpFrame> skipped = new java.util.ArrayList<>();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        // In slices, so that a connection the peer closed (or a node that died) ends the wait at
        // once, as a phone's TCP stack tells it.
        MsrpFrame f = received.poll(Math.max(0, Math.min(left, SLICE_NANOS)),
            TimeUnit.NANOSECONDS);
        if (f == null && ended && received.isEmpty()) {
          throw new AssertionError("connection closed before a response to " + transactionId);
        }
        if (f == null && left > SLICE_NANOS) {
          continue;
        }
        if (f == null) {
          throw new AssertionError("no response to " + transactionId + " within " + timeout
              + "; other frames: " + skipped);
        }
        if (!f.isRequest() && f.transactionId().equals(transactionId)) {
          return f;
        }
        skipped.add(f);
      }
    } finally {
      List<MsrpFrame> rest = new java.util.ArrayList<>(skipped);
      received.drainTo(rest);
      received.addAll(rest);
    }
  }

  /** The next request (SEND or REPORT) from the gateway. */
  public MsrpFrame nextRequest(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      MsrpFrame f = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (f == null) {
        throw new AssertionError("no request from the gateway within " + timeout);
      }
      if (f.isRequest()) {
        return f;
      }
    }
  }

  public boolean nothingWithin(Duration d) throws InterruptedException {
    return received.poll(d.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
