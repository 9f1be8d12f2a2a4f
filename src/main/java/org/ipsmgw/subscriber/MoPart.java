package org.ipsmgw.subscriber;

import java.time.Instant;

/**
 * One MO SMS part, decoded. A single SMS is part 1 of 1.
 *
 * @param reference the concatenation key: kind and number, e.g. "udh8:17", "sar:4660"
 */
public record MoPart(String reference, int total, int seq, String text, Instant receivedAt) {}
