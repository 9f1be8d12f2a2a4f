package org.ipsmgw.sms;

/** The two alphabets a chat text is sent in (SMPP data_coding). */
public enum SmsEncoding {
  /** GSM 03.38 default alphabet and extension table. */
  GSM7(0x00),
  /** UTF-16 code units, big-endian. */
  UCS2(0x08);

  private final int dataCoding;

  SmsEncoding(int dataCoding) {
    this.dataCoding = dataCoding;
  }

  public int dataCoding() {
    return dataCoding;
  }
}
