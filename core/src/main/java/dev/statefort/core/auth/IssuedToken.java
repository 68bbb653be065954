package dev.statefort.core.auth;

import dev.statefort.core.model.TokenRecord;

/** A token just created: the stored record and the full token text, which is shown once and never stored. */
public record IssuedToken(TokenRecord record, String token) {
    @Override
    public String toString() {
        return "IssuedToken[" + record.id() + "]";
    }
}
