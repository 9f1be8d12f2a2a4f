package org.ipsmgw.sip;

import gov.nist.core.StackLogger;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP RI's stack logger ({@code gov.nist.javax.sip.STACK_LOGGER}). The RI puts whole
 * messages, even datagrams as decimal byte arrays, into its log texts and exception messages, so
 * none of its text reaches the log: an RI error becomes one WARN line naming where in the RI it
 * happened and the exception's class, at most once per place and interval. Unparsable requests
 * are reported by {@link MalformedRequests}; the RI's debug, info and warnings are dropped.
 */
public final class StackLog implements StackLogger {
  /** Stack property carrying the interval, in milliseconds. */
  static final String INTERVAL_PROPERTY = "org.ipsmgw.sip.STACK_LOG_INTERVAL_MS";
  private static final Logger LOG = LoggerFactory.getLogger("org.ipsmgw.sip.stack");
  private volatile OncePerInterval limiter = new OncePerInterval(Duration.ofSeconds(60), 1024);

  @Override
  public void setStackProperties(Properties properties) {
    String ms = properties.getProperty(INTERVAL_PROPERTY);
    if (ms != null) {
      limiter = new OncePerInterval(Duration.ofMillis(Long.parseLong(ms)), 1024);
    }
  }

  @Override
  public boolean isLoggingEnabled() {
    // The RI builds its texts (whole messages) only when asked to log; its errors are always
    // reported through logError / logException anyway.
    return false;
  }

  @Override
  public boolean isLoggingEnabled(int logLevel) {
    return false;
  }

  @Override
  public void logError(String message) {
    error(null);
  }

  @Override
  public void logError(String message, Exception e) {
    error(e);
  }

  @Override
  public void logException(Throwable t) {
    error(t);
  }

  @Override
  public void logFatalError(String message) {
    error(null);
  }

  private void error(Throwable t) {
    String where = caller();
    long suppressed = limiter.admit(where);
    if (suppressed >= 0) {
      LOG.warn("SIP stack error in {}{} (its text is not logged: it may carry message bytes){}",
          where, t == null ? "" : ": " + t.getClass().getName(),
          OncePerInterval.heldBack(suppressed));
    }
  }

  /** The RI's class and method that logged, from the first frame outside this logger. */
  private static String caller() {
    return StackWalker.getInstance().walk(frames -> frames
        .filter(f -> !f.getClassName().equals(StackLog.class.getName())
            && !f.getClassName().equals("gov.nist.core.CommonLogger"))
        .findFirst()
        .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
            + f.getMethodName())
        .orElse("?"));
  }

  @Override
  public void logWarning(String message) {}

  @Override
  public void logInfo(String message) {}

  @Override
  public void logDebug(String message) {}

  @Override
  public void logDebug(String message, Exception e) {}

  @Override
  public void logTrace(String message) {}

  @Override
  public void logStackTrace() {}

  @Override
  public void logStackTrace(int traceLevel) {}

  @Override
  public int getLineCount() {
    return 0;
  }

  @Override
  public void disableLogging() {}

  @Override
  public void enableLogging() {}

  @Override
  public void setBuildTimeStamp(String buildTimeStamp) {}

  @Override
  public String getLoggerName() {
    return LOG.getName();
  }
}
