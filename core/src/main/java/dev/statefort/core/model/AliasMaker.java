package dev.statefort.core.model;

/**
 * Who made an alias: the user (by name and immutable ID) and the token the request was made with.
 * An alias works only while they still may grant it ({@link AliasService#authenticate}).
 *
 * @param user the user who made it (a UI session, or the owner of the token), or null (a robot
 *     token, the CLI, a client certificate, or an alias made before lineage was recorded)
 * @param userId the immutable {@link UserRecord#id()} of {@code user}: a later user of the same name
 *     is someone else; null with a {@code user} only for an alias migrated from a time its maker
 *     was deleted already (it never works)
 * @param tokenId the token it was made with, or null (a UI session, the CLI, a client certificate)
 */
public record AliasMaker(String user, String userId, String tokenId) {
    /** No maker recorded: the alias's own revocation and expiry are all that stop it. */
    public static final AliasMaker UNRECORDED = new AliasMaker(null, null, null);

    /** Whether there is a user or a token to check at every request. */
    public boolean isRecorded() {
        return user != null || tokenId != null;
    }
}
