package org.ipsmgw.msrp;

/**
 * The status codes the gateway answers with (RFC 4975 §10) and the comment each carries on the
 * wire, so every response and REPORT names a status the same way.
 */
public final class MsrpStatus {
  public static final int OK = 200;
  public static final int UNINTELLIGIBLE = 400;
  public static final int NOT_ALLOWED = 403;
  public static final int TIMEOUT = 408;
  public static final int TOO_LARGE = 413;
  public static final int UNSUPPORTED_MEDIA = 415;
  public static final int NO_SESSION = 481;
  public static final int UNKNOWN_METHOD = 501;

  private MsrpStatus() {}

  /** The comment of a response with {@code status}. */
  public static String comment(int status) {
    return switch (status) {
      case OK -> "OK";
      case UNINTELLIGIBLE -> "Unintelligible";
      case NOT_ALLOWED -> "Action not allowed";
      case TIMEOUT -> "Timeout";
      case TOO_LARGE -> "Message too large";
      case UNSUPPORTED_MEDIA -> "Unsupported media type";
      case NO_SESSION -> "Session does not exist";
      case UNKNOWN_METHOD -> "Method not understood";
      default -> "Error";
    };
  }

  /**
   * What a chat's refusal of a stored message is answered with: the codes MSRP defines for a
   * SEND pass, anything else (the chat speaks SIP statuses too) becomes 403.
   */
  public static int forRefusal(int chatStatus) {
    return switch (chatStatus) {
      case UNINTELLIGIBLE, NOT_ALLOWED, TOO_LARGE, UNSUPPORTED_MEDIA, NO_SESSION -> chatStatus;
      default -> NOT_ALLOWED;
    };
  }

  /** A REPORT's Status header ({@code 000 200 OK}, RFC 4975 §9.1) tells of success. */
  public static boolean reportsSuccess(String statusHeader) {
    String[] parts = statusHeader.trim().split("\\s+");
    return parts.length >= 2 && parts[1].equals("200");
  }
}
