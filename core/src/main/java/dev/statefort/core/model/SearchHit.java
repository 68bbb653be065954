package dev.statefort.core.model;

/**
 * One resource instance a search found.
 *
 * @param key its state
 * @param version the state's version the index holds
 * @param address the instance's address
 * @param type its resource type
 * @param field what matched: {@code address}, an attribute name such as {@code id}, or {@code identity.<name>}
 * @param value the value that matched
 */
public record SearchHit(StateKey key, long version, String address, String type, String field, String value) {}
