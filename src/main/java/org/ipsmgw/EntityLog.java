package org.ipsmgw;

import java.util.Collection;
import org.slf4j.Logger;

/**
 * The lines one entity writes: {@code [kind id]} before each (the one prefix style of chats,
 * pager conversations and SMS users), and every text argument escaped and cut short
 * ({@link PeerText}), since most are what a peer chose: identities, Conversation-IDs, targets,
 * reason phrases, SMSC ids. The id goes in as an argument, never into the format, so braces in a
 * Call-ID cannot shift the arguments.
 */
public final class EntityLog {
  private final Logger log;
  private final String format;
  private final String id;

  public EntityLog(Logger log, String kind, String id) {
    this.log = log;
    this.format = "[" + kind + " {}] ";
    this.id = id;
  }

  public void info(String message, Object... args) {
    if (log.isInfoEnabled()) {
      log.info(format + message, withId(args));
    }
  }

  public void warn(String message, Object... args) {
    log.warn(format + message, withId(args));
  }

  private Object[] withId(Object[] args) {
    Object[] out = new Object[args.length + 1];
    out[0] = id;
    for (int i = 0; i < args.length; i++) {
      out[i + 1] = bounded(args[i]);
    }
    return out;
  }

  /** Text cut short; a collection of texts (SMSC ids) each cut short; anything else as is. */
  private static Object bounded(Object arg) {
    if (arg instanceof CharSequence text) {
      return PeerText.bounded(text.toString());
    }
    if (arg instanceof Collection<?> items) {
      return items.stream().map(EntityLog::bounded).toList();
    }
    return arg;
  }
}
