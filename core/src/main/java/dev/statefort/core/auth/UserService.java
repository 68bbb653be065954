package dev.statefort.core.auth;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.model.DeletedUser;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Local users, their passwords (Argon2id) and their roles in projects. */
public final class UserService {
    public static final String INITIAL_ADMIN = "admin";
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** Random user IDs; never of the {@code u-<name>} shape that migration V5 gave existing users. */
    private static final int USER_ID_LENGTH = 16;

    private static final int MAX_PASSWORD_LENGTH = 1024;
    /** No look-alikes (0/O, 1/l/I). */
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final MetadataStore metadata;
    private final AccessStore access;
    private final PasswordHasher hasher;
    private final Clock clock;

    public UserService(MetadataStore metadata, PasswordHasher hasher, Clock clock) {
        this.metadata = metadata;
        this.access = metadata.access();
        this.hasher = hasher;
        this.clock = clock;
    }

    /** A user just created and the password to hand over once (generated when none was given). */
    public record NewUser(UserRecord user, String password) {
        @Override
        public String toString() {
            return "NewUser[" + user.name() + "]";
        }
    }

    /**
     * Creates a user. With a null {@code password} one is generated and the user must change it at
     * first login.
     */
    public NewUser create(String name, String password, boolean globalAdmin) {
        Names.require("user", name);
        boolean generated = password == null;
        String pw = generated ? generatePassword() : checkPassword(password);
        UserRecord user = new UserRecord(
                Secrets.randomId(USER_ID_LENGTH), name, hasher.hash(pw), globalAdmin, generated, clock.instant(), null);
        if (!access.createUser(user)) {
            throw new ConflictException("user '" + name + "' already exists");
        }
        return new NewUser(user, pw);
    }

    /** First start: creates {@code admin} (global admin, generated password) when there are no users. */
    public Optional<NewUser> bootstrapAdmin() {
        if (!access.listUsers().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(create(INITIAL_ADMIN, null, true));
        } catch (ConflictException raced) {
            return Optional.empty();
        }
    }

    /** Sets a new password and ends the user's sessions. */
    public void setPassword(String user, String password, boolean mustChange) {
        if (!access.setPassword(user, hasher.hash(checkPassword(password)), mustChange, clock.instant())) {
            throw new NotFoundException("user '" + user + "' does not exist");
        }
        access.deleteSessionsOf(user);
    }

    /** The user if {@code password} is theirs; takes as long for an unknown user as for a wrong password. */
    public Optional<UserRecord> verify(String name, String password) {
        if (name == null || password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        Optional<UserRecord> user = access.findUser(name);
        if (user.isEmpty()) {
            hasher.verifyNothing(password);
            return Optional.empty();
        }
        return hasher.verify(password, user.get().passwordHash()) ? user : Optional.empty();
    }

    public Optional<UserRecord> find(String name) {
        return access.findUser(name);
    }

    public List<UserRecord> list() {
        return access.listUsers();
    }

    public void setGlobalAdmin(String user, boolean globalAdmin) {
        if (!access.setGlobalAdmin(user, globalAdmin)) {
            throw new NotFoundException("user '" + user + "' does not exist");
        }
    }

    /**
     * Deletes the user and, in the same transaction, revokes its tokens (and their descendants) and
     * ends its sessions. {@link NotFoundException} if there is no such user.
     */
    public DeletedUser delete(String name) {
        return access.deleteUser(name, clock.instant())
                .orElseThrow(() -> new NotFoundException("user '" + name + "' does not exist"));
    }

    /** The audit detail of a user's deletion: names, the immutable ID and what went with it. */
    public static Map<String, Object> auditDetail(String name, DeletedUser deleted) {
        return Map.of(
                "user", name,
                "userId", deleted.id(),
                "tokensRevoked", deleted.tokensRevoked(),
                "sessionsEnded", deleted.sessionsEnded());
    }

    /** Gives {@code user} the {@code role} in {@code project} (replacing a former role). */
    public MembershipRecord putMember(String project, String user, Role role) {
        Names.require("project", project);
        metadata.requireProject(project);
        MembershipRecord m = new MembershipRecord(project, user, role, clock.instant());
        if (!access.putMember(m)) {
            throw new NotFoundException("user '" + user + "' does not exist");
        }
        return m;
    }

    public boolean removeMember(String project, String user) {
        return access.removeMember(project, user);
    }

    public List<MembershipRecord> members(String project) {
        return access.listMembers(project);
    }

    public List<MembershipRecord> memberships(String user) {
        return access.listMemberships(user);
    }

    /** What the user may do now: global admin everywhere, else their project roles. */
    public Principal principalOf(UserRecord user) {
        Map<String, Permission> roles = new HashMap<>();
        for (MembershipRecord m : access.listMemberships(user.name())) {
            roles.put(m.project(), m.role().permission());
        }
        return new Principal("user:" + user.name(), user.globalAdmin() ? Permission.ADMIN : null, roles, null);
    }

    /** 24 characters from a 57-letter alphabet without look-alikes: about 140 bits. */
    public static String generatePassword() {
        return Secrets.randomString(PASSWORD_ALPHABET, 24);
    }

    private static String checkPassword(String password) {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("a password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new InvalidInputException("a password has at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        return password;
    }
}
