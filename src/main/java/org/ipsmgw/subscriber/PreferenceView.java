package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;
import org.ipsmgw.policy.InvitationAction;

/**
 * The SMS user's stored invitation preference as the admin API shows it, or null when none is
 * set; nothing else of the subscriber's state (correlations, MO parts) leaves the entity.
 */
public record PreferenceView(InvitationAction invitation) implements CborSerializable {}
