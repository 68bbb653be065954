package dev.statefort.core.model;

import java.time.Instant;

/**
 * Who reads a state's outputs: one reader of one state over all time.
 *
 * @param key the state read
 * @param reader who read
 * @param via how it read last
 * @param firstSeen its first read
 * @param lastSeen its last read
 * @param reads how many reads were counted
 */
public record ConsumerRecord(
        StateKey key, String reader, String via, Instant firstSeen, Instant lastSeen, long reads) {}
