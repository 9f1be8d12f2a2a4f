package org.ipsmgw.sms;

/** How a text longer than one SMS is carried over SMPP. */
public enum ConcatenationMode {
  /** UDH IEI 0x00 with an 8-bit reference in each part (153 septets / 67 UCS-2 units). */
  UDH_8BIT,
  /** UDH IEI 0x08 with a 16-bit reference (152 / 66). */
  UDH_16BIT,
  /** sar_* TLVs, no UDH in the text; the SMSC builds the header, so parts are sized as 8-bit. */
  SAR_TLV,
  /** One submit_sm with message_payload; the SMSC segments (counted as 8-bit UDH parts). */
  MESSAGE_PAYLOAD
}
