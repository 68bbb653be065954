package dev.statefort.core.model;

/**
 * What deleting a user took with it, all in the one transaction of the delete.
 *
 * @param id the deleted user's immutable ID
 * @param tokensRevoked the user's tokens and their descendants that were still valid
 * @param sessionsEnded the user's UI sessions
 */
public record DeletedUser(String id, int tokensRevoked, int sessionsEnded) {}
