package org.ipsmgw.node;

/**
 * A reason the node cannot start, worded for the operator: Main prints it as one line and exits 1,
 * without a stack trace.
 */
public final class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message.replace('\n', ' ').replace('\r', ' '));
  }
}
