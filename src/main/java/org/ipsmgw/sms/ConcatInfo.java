package org.ipsmgw.sms;

/** A concatenation information element: this is part {@code seq} of {@code total}. */
public record ConcatInfo(int reference, int total, int seq, boolean sixteenBit) {}
