package org.ipsmgw.cpim;

import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * message/imdn+xml (RFC 5438 §11.1) written and read with StAX. The OMA CPM interworking
 * notification lives in its own namespace (urn:oma:xml:cpm:imdn-extensions:1.0); the reader
 * refuses external entities and DTDs.
 */
public final class ImdnXml {
  public static final String NS = "urn:ietf:params:xml:ns:imdn";
  public static final String CPM_NS = "urn:oma:xml:cpm:imdn-extensions:1.0";
  public static final String CONTENT_TYPE = "message/imdn+xml";

  private static final XMLInputFactory IN = inputFactory();
  private static final XMLOutputFactory OUT = XMLOutputFactory.newFactory();

  private ImdnXml() {}

  private static XMLInputFactory inputFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }

  public static String write(Imdn imdn) {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter w = OUT.createXMLStreamWriter(text);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("imdn");
      w.writeDefaultNamespace(NS);
      if (imdn.kind() == Imdn.Kind.INTERWORKING) {
        w.writeNamespace("cpm", CPM_NS);
      }
      element(w, "message-id", imdn.messageId());
      element(w, "datetime", imdn.dateTime());
      if (imdn.recipientUri() != null) {
        element(w, "recipient-uri", imdn.recipientUri());
      }
      if (imdn.kind() == Imdn.Kind.INTERWORKING) {
        w.writeStartElement("cpm", imdn.kind().element(), CPM_NS);
        w.writeStartElement("cpm", "status", CPM_NS);
        w.writeEmptyElement("cpm", imdn.status(), CPM_NS);
      } else {
        w.writeStartElement(imdn.kind().element());
        w.writeStartElement("status");
        w.writeEmptyElement(imdn.status());
      }
      w.writeEndElement();
      w.writeEndElement();
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write IMDN XML", e);
    }
    return text.toString();
  }

  private static void element(XMLStreamWriter w, String name, String value)
      throws XMLStreamException {
    w.writeStartElement(name);
    w.writeCharacters(value);
    w.writeEndElement();
  }

  /** Reads an IMDN document; IllegalArgumentException when it is not one (exactly one kind). */
  public static Imdn parse(String xml) {
    String messageId = null;
    String dateTime = null;
    String recipient = null;
    Imdn.Kind kind = null;
    String status = null;
    try {
      XMLStreamReader r = IN.createXMLStreamReader(new StringReader(xml));
      boolean root = true;
      boolean inStatus = false;
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.START_ELEMENT) {
          String ns = r.getNamespaceURI();
          String name = r.getLocalName();
          if (root) {
            if (!NS.equals(ns) || !name.equals("imdn")) {
              throw new IllegalArgumentException("root is not <imdn> in " + NS);
            }
            root = false;
          } else if (inStatus) {
            status = status == null ? name : status;
            inStatus = false;
          } else if (name.equals("status")) {
            inStatus = true;
          } else if (NS.equals(ns) && name.equals("message-id")) {
            messageId = r.getElementText().trim();
          } else if (NS.equals(ns) && name.equals("datetime")) {
            dateTime = r.getElementText().trim();
          } else if (NS.equals(ns) && name.equals("recipient-uri")) {
            recipient = r.getElementText().trim();
          } else {
            Imdn.Kind k = kindOf(ns, name);
            if (k != null) {
              if (kind != null) {
                throw new IllegalArgumentException("IMDN carries more than one notification");
              }
              kind = k;
            }
          }
        }
      }
    } catch (XMLStreamException e) {
      throw new IllegalArgumentException("IMDN is not well-formed XML: " + e.getMessage());
    }
    if (messageId == null || kind == null || status == null) {
      throw new IllegalArgumentException("IMDN without message-id, notification or status");
    }
    return new Imdn(messageId, dateTime, recipient, kind, status);
  }

  private static Imdn.Kind kindOf(String ns, String name) {
    for (Imdn.Kind k : Imdn.Kind.values()) {
      String expected = k == Imdn.Kind.INTERWORKING ? CPM_NS : NS;
      if (k.element().equals(name) && expected.equals(ns)) {
        return k;
      }
    }
    return null;
  }
}
