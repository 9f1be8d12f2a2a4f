package org.ipsmgw.cpim;

/**
 * One IMDN (RFC 5438 §7.2.1): which message it is about, its DateTime, and one disposition.
 *
 * @param recipientUri who the notification is about, or null
 * @param kind which notification element carries the status
 * @param status the status element's name: delivered, failed, forbidden, error, displayed,
 *     processed, stored, or for {@link Kind#INTERWORKING} legacy-sms, legacy-mms
 */
public record Imdn(String messageId, String dateTime, String recipientUri, Kind kind,
    String status) {

  /** The notification element: RFC 5438's three, and OMA CPM's interworking extension. */
  public enum Kind {
    DELIVERY("delivery-notification"),
    DISPLAY("display-notification"),
    PROCESSING("processing-notification"),
    INTERWORKING("interworking-notification");

    private final String element;

    Kind(String element) {
      this.element = element;
    }

    public String element() {
      return element;
    }
  }
}
