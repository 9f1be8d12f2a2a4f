package org.ipsmgw.msrp;

import org.ipsmgw.msrp.Bindings.Binding;

/**
 * A complete chat message whose SEND is answered once its chat has stored it; those of one chat
 * go to it one batch at a time ({@link org.ipsmgw.OneBatchAtATime}), in the order they came.
 */
record WaitingSend(MsrpFrame send, Binding binding, MessageAssembler.Complete message,
    InboundMessage.ChatText text) {}
