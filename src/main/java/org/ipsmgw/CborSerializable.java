package org.ipsmgw;

/**
 * Marker for everything that is persisted or crosses node boundaries: bound to Pekko's jackson-cbor
 * serializer in {@code conf/serialization.conf}, so a new event or command type cannot silently fall
 * back to Java serialization.
 */
public interface CborSerializable {}
