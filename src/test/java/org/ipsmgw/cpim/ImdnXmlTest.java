package org.ipsmgw.cpim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 5438 §7.2.1 documents, the OMA interworking extension, and what is refused. */
class ImdnXmlTest {
  @Test
  void everyKindRoundTrips() {
    for (Imdn imdn : new Imdn[] {
        new Imdn("m1", "2026-11-24T10:00:00Z", null, Imdn.Kind.DELIVERY, "delivered"),
        new Imdn("m2", "2026-11-24T10:00:00Z", "tel:+447700900777", Imdn.Kind.DELIVERY, "failed"),
        new Imdn("m3", "2026-11-24T10:00:00Z", null, Imdn.Kind.DISPLAY, "displayed"),
        new Imdn("m4", "2026-11-24T10:00:00Z", null, Imdn.Kind.PROCESSING, "stored"),
        new Imdn("m5", "2026-11-24T10:00:00Z", null, Imdn.Kind.INTERWORKING, "legacy-sms")}) {
      assertEquals(imdn, ImdnXml.parse(ImdnXml.write(imdn)), imdn.toString());
    }
  }

  @Test
  void deliveredDocumentHasTheRfcShape() {
    String xml = ImdnXml.write(new Imdn("34jk324j", "2008-04-04T12:16:49-05:00", null,
        Imdn.Kind.DELIVERY, "delivered"));
    assertTrue(xml.contains("<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"), xml);
    assertTrue(xml.contains("<message-id>34jk324j</message-id>"), xml);
    assertTrue(xml.contains("<delivery-notification><status><delivered/></status>"
        + "</delivery-notification>"), xml);
  }

  @Test
  void interworkingNoticeUsesTheCpmNamespace() {
    String xml = ImdnXml.write(new Imdn("m", "2026-11-24T10:00:00Z", null,
        Imdn.Kind.INTERWORKING, "legacy-sms"));
    assertTrue(xml.contains("xmlns:cpm=\"urn:oma:xml:cpm:imdn-extensions:1.0\""), xml);
    assertTrue(xml.contains("<cpm:interworking-notification><cpm:status><cpm:legacy-sms/>"), xml);
    assertFalse(xml.contains("displayed"));
  }

  @Test
  void valuesAreEscaped() {
    Imdn odd = new Imdn("a<b&c", "2026-11-24T10:00:00Z", null, Imdn.Kind.DELIVERY, "delivered");
    assertTrue(ImdnXml.write(odd).contains("a&lt;b&amp;c"));
    assertEquals(odd, ImdnXml.parse(ImdnXml.write(odd)));
  }

  @Test
  void notAnImdnIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ImdnXml.parse("<not-xml"));
    assertThrows(IllegalArgumentException.class, () -> ImdnXml.parse(
        "<imdn xmlns='urn:other'><message-id>x</message-id></imdn>"));
    assertThrows(IllegalArgumentException.class, () -> ImdnXml.parse(
        "<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>x</message-id></imdn>"));
    assertThrows(IllegalArgumentException.class, () -> ImdnXml.parse(
        "<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>x</message-id>"
            + "<delivery-notification><status><delivered/></status></delivery-notification>"
            + "<display-notification><status><displayed/></status></display-notification></imdn>"));
  }

  @Test
  void externalEntitiesAreNotResolved() {
    String xxe = "<?xml version='1.0'?><!DOCTYPE imdn [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        + "<imdn xmlns='urn:ietf:params:xml:ns:imdn'><message-id>&x;</message-id>"
        + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>";
    assertThrows(IllegalArgumentException.class, () -> ImdnXml.parse(xxe));
  }
}
