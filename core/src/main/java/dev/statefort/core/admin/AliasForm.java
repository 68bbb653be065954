package dev.statefort.core.admin;

import dev.statefort.core.model.Permission;

/**
 * What a new alias should be, as the REST API's body and the UI's form ask for it.
 *
 * @param state the state of the project it is an address of
 * @param permission {@code outputs}, {@code read} or {@code write}
 * @param expiresInDays 1..3650, or null
 * @param expiresInMinutes 1..3650 days in minutes, or null; not with {@code expiresInDays} (both
 *     null: the alias never expires, unless the token it is made with does)
 */
public record AliasForm(String state, Permission permission, Integer expiresInDays, Integer expiresInMinutes) {

    /** A form for an alias without an expiry of its own. */
    public AliasForm(String state, Permission permission) {
        this(state, permission, null, null);
    }
}
