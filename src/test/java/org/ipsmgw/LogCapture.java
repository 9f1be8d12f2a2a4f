package org.ipsmgw;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every log line of this JVM at INFO and above, as an operator's log would have it (message and
 * stack trace), from the moment it is attached to the root logger until it is closed.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  /** One line as written: level, logger, text with its stack trace, and the MDC it carried. */
  public record Line(Level level, String logger, String text, Map<String, String> mdc) {
    public Line(Level level, String logger, String text) {
      this(level, logger, text, Map.of());
    }
  }

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Level rootLevel = root.getLevel();

  public static LogCapture attach() {
    LogCapture capture = new LogCapture();
    capture.setContext(capture.root.getLoggerContext());
    capture.start();
    capture.root.addAppender(capture);
    // Tests log at WARN; INFO is what production logs, so it is captured too.
    capture.root.setLevel(Level.INFO);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    String trace = event.getThrowableProxy() == null ? ""
        : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
    lines.add(new Line(event.getLevel(), event.getLoggerName(),
        event.getFormattedMessage() + trace,
        Collections.unmodifiableMap(new HashMap<>(event.getMDCPropertyMap()))));
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  /** Characters written since attached (each line plus its newline). */
  public long size() {
    return lines.stream().mapToLong(l -> l.text().length() + l.logger().length() + 40).sum();
  }

  public boolean contains(String text) {
    return lines.stream().anyMatch(l -> l.text().contains(text));
  }

  @Override
  public void close() {
    root.detachAppender(this);
    root.setLevel(rootLevel);
    stop();
  }
}
