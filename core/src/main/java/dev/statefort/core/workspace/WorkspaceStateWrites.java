package dev.statefort.core.workspace;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.CredentialTrace;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.Secrets;
import dev.statefort.core.io.Digests;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UploadGrant;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StateSummary;
import dev.statefort.core.state.StateTooLargeException;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A TFE client's state version: the state it declares (serial, lineage, MD5), written either inline
 * or through two upload URLs that carry no credentials. Either way it becomes a version like any
 * other, through {@link StateService#write}: the same lock check, guard, protection, encryption and
 * audit. The client must hold the workspace's lock, as HCP Terraform requires.
 *
 * <p>An upload URL carries a random secret; only its SHA-256 is stored, bound to one state, one kind
 * (the state or its JSON form), the declared serial, lineage and MD5, the asker's lock and name. It
 * is redeemed once, by a conditional write on any node, within {@link #UPLOAD_URL_LIFETIME}.
 */
public final class WorkspaceStateWrites {
    /** How long an upload URL may be used. */
    public static final Duration UPLOAD_URL_LIFETIME = Duration.ofMinutes(5);

    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    /** What an upload URL's secret looks like: 32 random bytes in hex. */
    private static final Pattern SECRET = Pattern.compile("[0-9a-f]{64}");

    private static final int MAX_LINEAGE_LENGTH = 128;
    private static final int JSON_STATE_FACTOR = 4;

    private final MetadataStore metadata;
    private final StateService states;
    private final Clock clock;

    public WorkspaceStateWrites(MetadataStore metadata, StateService states, Clock clock) {
        this.metadata = metadata;
        this.states = states;
        this.clock = clock;
    }

    /**
     * What the client declares about the state it writes.
     *
     * @param md5 lowercase hex MD5 of the state's bytes
     * @param force what the client says of a migration; accepted and not needed: the declaration is
     *     checked against the bytes, never against the current state
     */
    public record Declared(long serial, String lineage, String md5, boolean force) {
        public Declared {
            if (serial < 0) {
                throw new InvalidInputException("serial must be 0 or more");
            }
            if (lineage == null || lineage.isBlank() || lineage.length() > MAX_LINEAGE_LENGTH) {
                throw new InvalidInputException("lineage must be 1 to " + MAX_LINEAGE_LENGTH + " characters");
            }
            md5 = md5 == null ? "" : md5.toLowerCase(java.util.Locale.ROOT);
            if (!MD5_HEX.matcher(md5).matches()) {
                throw new InvalidInputException("md5 must be the state's MD5 as 32 hex digits");
            }
        }
    }

    /** The secrets of a state version's two upload URLs. */
    public record UploadUrls(String stateSecret, String jsonStateSecret) {
        @Override
        public String toString() {
            return "UploadUrls[secrets not shown]";
        }
    }

    /** Writes the state sent inline (older clients): checked against what was declared, under the caller's lock. */
    public WriteOutcome writeInline(Principal actor, StateKey key, Declared declared, byte[] state) throws IOException {
        String lockId = checkedBeforeWrite(actor, key);
        checkBody(declared, state);
        return write(actor, key, lockId, state);
    }

    /** The upload URLs' secrets for a state version the client declares (write, under the caller's lock). */
    public UploadUrls grantUploads(Principal actor, StateKey key, Declared declared) {
        String lockId = checkedBeforeWrite(actor, key);
        Instant now = clock.instant();
        Instant expires = now.plus(UPLOAD_URL_LIFETIME);
        metadata.access().deleteExpiredUploadGrants(now.minus(UPLOAD_URL_LIFETIME));
        List<String> policies =
                actor.trace() == null ? List.of() : actor.trace().trustPolicies();
        String stateSecret = Secrets.randomHex(32);
        String jsonSecret = Secrets.randomHex(32);
        for (var grant : List.of(
                Map.entry(stateSecret, UploadGrant.Kind.STATE), Map.entry(jsonSecret, UploadGrant.Kind.JSON_STATE))) {
            metadata.access()
                    .createUploadGrant(new UploadGrant(
                            Secrets.sha256Hex(grant.getKey()),
                            key,
                            grant.getValue(),
                            declared.serial(),
                            declared.lineage(),
                            declared.md5(),
                            lockId,
                            actor.name(),
                            policies,
                            now,
                            expires,
                            null));
        }
        return new UploadUrls(stateSecret, jsonSecret);
    }

    /** The state a redeemed upload URL wrote, or that its JSON form was taken. */
    public sealed interface Uploaded {
        /** The state's bytes were written (or refused: the outcome says how). */
        record State(StateKey key, WriteOutcome outcome) implements Uploaded {}

        /** The JSON form was received (and not kept: Statefort renders its own views from the state). */
        record JsonState(StateKey key) implements Uploaded {}
    }

    /**
     * Redeems the upload URL with {@code secret} (once) and takes its body: the state is checked
     * against what was declared and written in the asker's name under the asker's lock. A URL is used
     * up by a PUT refused for what it sent (400, 409); a PUT that fails on the server's side before
     * anything is written (the database or the storage unavailable, the body cut off) gives it back,
     * so the client's retry (go-tfe retries a 5xx) goes through.
     *
     * @throws NotFoundException for a URL unknown, used or expired
     */
    public Uploaded redeem(String secret, InputStream body, String origin) throws IOException {
        NotFoundException unknown = new NotFoundException(
                "this upload URL is unknown, already used or expired: ask for a new state version");
        if (secret == null || !SECRET.matcher(secret).matches()) {
            throw unknown; // never issued: no database work at all
        }
        String idHash = Secrets.sha256Hex(secret);
        UploadGrant grant =
                metadata.access().redeemUploadGrant(idHash, clock.instant()).orElseThrow(() -> unknown);
        try {
            return take(grant, body, origin);
        } catch (InvalidInputException | ConflictException | StateTooLargeException refused) {
            throw refused; // what was sent is at fault: the URL stays used
        } catch (IOException | RuntimeException failed) {
            giveBack(idHash, grant, failed);
            throw failed;
        }
    }

    private Uploaded take(UploadGrant grant, InputStream body, String origin) throws IOException {
        if (grant.kind() == UploadGrant.Kind.JSON_STATE) {
            discardBounded(body);
            return new Uploaded.JsonState(grant.key());
        }
        byte[] bytes = states.readWhole(body);
        Declared declared = new Declared(grant.serial(), grant.lineage(), grant.md5(), true);
        checkBody(declared, bytes);
        if (metadata.findLock(grant.key())
                .filter(l -> l.id().equals(grant.lockId()))
                .isEmpty()) {
            throw new ConflictException("the lock " + grant.lockId() + " this upload was asked under was released"
                    + " before the upload: nothing was written");
        }
        Principal asker = Principal.forState(grant.principal(), grant.key(), Permission.WRITE)
                .from(origin)
                .tracedBy(new CredentialTrace(Map.of("via", "upload-url"), null, grant.trustPolicies()));
        return new Uploaded.State(grant.key(), write(asker, grant.key(), grant.lockId(), bytes));
    }

    /** Makes the grant usable again after a failure on the server's side (best effort: the store may be down). */
    private void giveBack(String idHash, UploadGrant grant, Exception cause) {
        try {
            metadata.access().releaseUploadGrant(idHash, grant.usedAt());
        } catch (RuntimeException alsoFailed) {
            cause.addSuppressed(alsoFailed);
        }
    }

    private WriteOutcome write(Principal actor, StateKey key, String lockId, byte[] state) throws IOException {
        return states.write(WriteRequest.of(key, new ByteArrayInputStream(state), state.length, actor)
                .underLock(lockId));
    }

    /**
     * Write on the state (and the protection rule's identity, on a protected state); the caller holds
     * its lock, whose ID is returned. The declared serial and lineage are not held against the current
     * state's: Terraform checks them itself before it writes, and its {@code state push -force} relies
     * on the server not doing it again (as on {@code /tf/}).
     */
    private String checkedBeforeWrite(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        states.locks().protection().requireAllowed(actor, key, "write");
        LockRecord lock = metadata.findLock(key)
                .orElseThrow(() -> new ConflictException("the workspace must be locked by you to create a state"
                        + " version; lock it first (Terraform does unless run with -lock=false)"));
        if (!WorkspaceLocks.heldBy(lock, actor)) {
            throw new ConflictException(
                    "the workspace is locked by " + lock.principal() + " (lock ID " + lock.id() + "), not by you");
        }
        return lock.id();
    }

    /** The bytes have the declared MD5, and carry the declared serial and lineage. */
    private static void checkBody(Declared declared, byte[] state) throws IOException {
        String md5 = HexFormat.of().formatHex(Digests.md5(state));
        if (!md5.equals(declared.md5())) {
            throw new InvalidInputException("the state's MD5 is " + md5 + ", not the declared " + declared.md5());
        }
        StateSummary summary = StateSummary.of(new ByteArrayInputStream(state));
        if (!summary.readable()) {
            throw new InvalidInputException("the state is not a readable Terraform state");
        }
        if (summary.serial() == null
                || summary.serial() != declared.serial()
                || !declared.lineage().equals(summary.lineage())) {
            throw new InvalidInputException("the state carries serial " + summary.serial() + " and lineage "
                    + summary.lineage() + ", not the declared " + declared.serial() + " and " + declared.lineage());
        }
    }

    /** Reads the JSON form through (it is larger than the state: up to {@value #JSON_STATE_FACTOR} times the limit) and drops it. */
    private void discardBounded(InputStream body) throws IOException {
        long max = states.maxStateBytes() * JSON_STATE_FACTOR;
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        for (int n; (n = body.read(buffer)) >= 0; ) {
            read += n;
            if (read > max) {
                throw new StateTooLargeException(max);
            }
        }
    }
}
