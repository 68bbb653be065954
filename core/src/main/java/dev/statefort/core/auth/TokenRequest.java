package dev.statefort.core.auth;

import dev.statefort.core.model.Permission;
import java.time.Instant;

/**
 * What a new token should be.
 *
 * @param project the project it is for, or null for all projects (global admins only)
 * @param state one state of {@code project}, or null for the whole project
 * @param ownerUser the user it acts for (never more than they have), or null for a project (robot) token
 * @param expiresAt when it stops working, or null for never
 */
public record TokenRequest(
        String name, String project, String state, Permission permission, String ownerUser, Instant expiresAt) {}
