package org.ipsmgw.node;

/**
 * A reason the node cannot start, worded for the operator: Main prints it as one line and exits 1,
 * without a stack trace. The cause, when there is one, goes to the log at DEBUG only.
 */
public final class StartupException extends RuntimeException {
  public StartupException(String message) {
    this(message, null);
  }

  public StartupException(String message, Throwable cause) {
    super(message.replace('\n', ' ').replace('\r', ' '), cause);
  }
}
