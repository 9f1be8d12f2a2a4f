package org.ipsmgw.session;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Message-ID (MSRP and imdn) of what a chat sends the CPM user, derived from the chat and
 * the message's reference rather than drawn at random: a message or notice sent again after its
 * connection was lost carries the same id, so the CPM client can recognise the repeat. 32 hex
 * digits, which fits MSRP's ident syntax (RFC 4975 §9: at most 32 characters).
 */
public final class ResendableId {
  private ResendableId() {}

  /** The id of what the chat owes the CPM user under {@code ref}; {@code kind} tells them apart. */
  public static String of(String sessionId, String ref, String kind) {
    return UUID.nameUUIDFromBytes((sessionId + '\n' + ref + '\n' + kind)
        .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
  }
}
