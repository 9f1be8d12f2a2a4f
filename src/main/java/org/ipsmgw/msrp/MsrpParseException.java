package org.ipsmgw.msrp;

/**
 * Input that is not MSRP. When the start line was readable, {@code transactionId} lets the
 * endpoint answer 400 on the same transaction; otherwise the connection cannot be resynchronised
 * and is closed.
 */
public final class MsrpParseException extends Exception {
  private final String transactionId;
  private final int status;

  public MsrpParseException(String message, String transactionId, int status) {
    super(message);
    this.transactionId = transactionId;
    this.status = status;
  }

  /** The transaction to answer, or null when none could be read. */
  public String transactionId() {
    return transactionId;
  }

  /** 400 for unintelligible input, 413 for a frame over the size limit. */
  public int status() {
    return status;
  }
}
