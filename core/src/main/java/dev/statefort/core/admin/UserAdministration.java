package dev.statefort.core.admin;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.PasswordAttempt;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.model.DeletedUser;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.UserRecord;
import java.util.List;
import java.util.Map;

/**
 * Users and their passwords: the one way for the REST API, the UI and the CLI. Creating, listing
 * and deleting users needs a global admin; users change their own password by giving the current one.
 */
public final class UserAdministration {
    private final UserService users;
    private final AuditService audit;

    public UserAdministration(UserService users, AuditService audit) {
        this.users = users;
        this.audit = audit;
    }

    public List<UserRecord> list(Principal actor) {
        Authorization.requireGlobalAdmin(actor, "listing users");
        return users.list();
    }

    /** The user of that name (404 if none). */
    public UserRecord user(Principal actor, String name) {
        Authorization.requireGlobalAdmin(actor, "reading users");
        return existing(Names.require("user", name));
    }

    /**
     * Creates a user; with no password one is generated (returned once, to be changed at first
     * login). Audited as {@code user.create}.
     */
    public UserService.NewUser create(Principal actor, String name, String password, boolean globalAdmin) {
        Authorization.requireGlobalAdmin(actor, "creating users");
        UserService.NewUser created = users.create(name, password, globalAdmin);
        audit.record(
                actor,
                AuditAction.USER_CREATE,
                null,
                null,
                Map.of("user", name, "globalAdmin", created.user().globalAdmin()));
        return created;
    }

    /** Deletes a user with their roles and sessions; their tokens stop working. Audited as {@code user.delete}. */
    public DeletedUser delete(Principal actor, String name) {
        Authorization.requireGlobalAdmin(actor, "deleting users");
        Names.require("user", name);
        DeletedUser deleted = users.delete(name);
        audit.record(actor, AuditAction.USER_DELETE, null, null, UserService.auditDetail(name, deleted));
        return deleted;
    }

    /**
     * Sets {@code name}'s password. A user setting their own gives {@code currentPassword}, checked
     * and reported to {@code attempt}; a global admin sets anyone else's, to be changed at the next
     * login. Ends the user's sessions; audited as {@code user.password}.
     */
    public void setPassword(
            Principal actor, String name, String password, String currentPassword, PasswordAttempt attempt) {
        Names.require("user", name);
        boolean self = name.equals(actor.userName());
        if (self) {
            requireCurrentPassword(name, currentPassword, attempt);
            store(actor, name, password, false);
        } else {
            Authorization.requireGlobalAdmin(actor, "setting another user's password");
            existing(name);
            store(actor, name, password, true);
        }
    }

    /**
     * A global admin (the CLI) sets a user's password; {@code mustChange} makes the user change it at
     * the next login. Ends the user's sessions; audited as {@code user.password}.
     */
    public void resetPassword(Principal actor, String name, String password, boolean mustChange) {
        Authorization.requireGlobalAdmin(actor, "setting another user's password");
        Names.require("user", name);
        store(actor, name, password, mustChange);
    }

    private void requireCurrentPassword(String name, String currentPassword, PasswordAttempt attempt) {
        boolean right;
        try {
            right = users.verify(name, currentPassword == null ? "" : currentPassword)
                    .isPresent();
        } catch (RuntimeException notChecked) {
            attempt.notChecked();
            throw notChecked;
        }
        if (!right) {
            attempt.failed();
            throw new AccessDeniedException("the current password is wrong");
        }
        attempt.succeeded();
    }

    private void store(Principal actor, String name, String password, boolean mustChange) {
        users.setPassword(name, password, mustChange);
        audit.record(actor, AuditAction.USER_PASSWORD, null, null, Map.of("user", name));
    }

    private UserRecord existing(String name) {
        return users.find(name).orElseThrow(() -> new NotFoundException("user '" + name + "' does not exist"));
    }
}
