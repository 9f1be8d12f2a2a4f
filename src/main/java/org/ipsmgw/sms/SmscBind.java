package org.ipsmgw.sms;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jsmpp.DefaultPDUSender;
import org.jsmpp.SynchronizedPDUSender;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.socket.SocketConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transceiver bind to the SMSC, kept up for the life of the node: a lost or refused bind is
 * retried with capped exponential back-off. jsmpp sends enquire_link on idle and answers the
 * SMSC's; MO and receipts arrive on the bind through {@code inbound}.
 */
final class SmscBind {
  /** Told when the bind comes up or goes down, from jsmpp's or the scheduler's thread. */
  interface Listener {
    void bindChanged(SmscBind bind, boolean up);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SmscBind.class);
  /** Longest failure reason a bind WARN line carries. */
  private static final int MAX_REASON = 200;

  private final int index;
  private final SmscSettings settings;
  private final MessageReceiverListener inbound;
  private final Listener listener;
  private final ScheduledExecutorService scheduler;
  private volatile SMPPSession session;
  private volatile boolean closed;
  private Duration backoff;

  SmscBind(int index, SmscSettings settings, MessageReceiverListener inbound, Listener listener,
      ScheduledExecutorService scheduler) {
    this.index = index;
    this.settings = settings;
    this.inbound = inbound;
    this.listener = listener;
    this.scheduler = scheduler;
    this.backoff = settings.reconnectMinBackoff();
  }

  int index() {
    return index;
  }

  void start() {
    scheduler.execute(this::connect);
  }

  /** The bound session, or null while this bind is down. */
  SMPPSession session() {
    SMPPSession s = session;
    return s != null && s.getSessionState().isBound() ? s : null;
  }

  boolean isUp() {
    return session() != null;
  }

  private void connect() {
    if (closed) {
      return;
    }
    SMPPSession s = new SMPPSession(new SynchronizedPDUSender(new DefaultPDUSender()),
        new GuardedPduReader(), SocketConnectionFactory.getInstance());
    s.setEnquireLinkTimer((int) settings.enquireLinkInterval().toMillis());
    s.setTransactionTimer(settings.responseTimeout().toMillis());
    s.setPduProcessorDegree(settings.deliverHandlers());
    s.setQueueCapacity(settings.deliverQueue());
    s.setMessageReceiverListener(inbound);
    try {
      s.connectAndBind(settings.host(), settings.port(), new BindParameter(BindType.BIND_TRX,
          settings.systemId(), settings.password(), settings.systemType(), TypeOfNumber.UNKNOWN,
          NumberingPlanIndicator.UNKNOWN, null), settings.bindTimeout().toMillis());
    } catch (IOException | RuntimeException e) {
      s.close();
      retryLater("cannot bind: " + sanitised(e));
      return;
    }
    s.addSessionStateListener(this::stateChanged);
    session = s;
    backoff = settings.reconnectMinBackoff();
    LOG.info("SMPP bind {} up: transceiver {} at {}:{}", index, settings.systemId(),
        settings.host(), settings.port());
    listener.bindChanged(this, true);
    if (closed) {
      s.unbindAndClose();
    }
  }

  /**
   * jsmpp's messages may quote PDU fields (an invalid string is quoted whole, the password too):
   * the password never reaches the log, nor does an unbounded message.
   */
  private String sanitised(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (!settings.password().isEmpty()) {
      message = message.replace(settings.password(), "***");
    }
    message = message.replaceAll("\\p{Cntrl}", " ");
    return message.length() > MAX_REASON ? message.substring(0, MAX_REASON) + "…" : message;
  }

  private void stateChanged(SessionState now, SessionState before, Object source) {
    if (before.isBound() && !now.isBound() && source == session) {
      session = null;
      listener.bindChanged(this, false);
      if (!closed) {
        retryLater("bind lost (" + now + ")");
      }
    }
  }

  private synchronized void retryLater(String why) {
    if (closed) {
      return;
    }
    Duration wait = backoff;
    backoff = backoff.multipliedBy(2).compareTo(settings.reconnectMaxBackoff()) > 0
        ? settings.reconnectMaxBackoff() : backoff.multipliedBy(2);
    LOG.warn("SMPP bind {} to {}:{} down: {}; next attempt in {} ms", index, settings.host(),
        settings.port(), why, wait.toMillis());
    scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * How long an unbind waits for the SMSC's unbind_resp before the socket is closed anyway. The
   * bind is over either way, and a leave must not spend its phase on it: a simulator that did not
   * answer once in a CI run held the drain for the whole response timeout (10 s), past the phase.
   */
  static final long UNBIND_WAIT_MILLIS = 2_000;

  /** Unbinds and stops reconnecting. */
  void close() {
    closed = true;
    SMPPSession s = session;
    session = null;
    if (s != null) {
      s.setTransactionTimer(Math.min(UNBIND_WAIT_MILLIS, settings.responseTimeout().toMillis()));
      s.unbindAndClose();
      listener.bindChanged(this, false);
    }
  }
}
