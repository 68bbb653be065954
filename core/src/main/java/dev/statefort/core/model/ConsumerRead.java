package dev.statefort.core.model;

import java.time.Instant;

/**
 * Reads of a state's outputs by one reader, counted since the last report.
 *
 * @param key the state read
 * @param reader who read, e.g. {@code token:ab12cd}, {@code alias:x7...}, {@code oidc:issuer:sub}
 * @param via how: {@code outputs-token}, {@code alias} or {@code tfe-outputs}
 * @param first the first of these reads
 * @param last the last of these reads
 * @param count how many
 */
public record ConsumerRead(StateKey key, String reader, String via, Instant first, Instant last, long count) {}
