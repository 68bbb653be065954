package dev.statefort.core.auth;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.spi.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API tokens {@code sft_<id>_<secret>}: a public ID to find the record and a 256-bit random secret
 * of which only the SHA-256 is stored (a slow hash adds nothing for a random 256-bit secret) and
 * which is compared in constant time.
 */
public final class TokenService {
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ID_LENGTH = 12;
    private static final int SECRET_BYTES = 32;
    private static final Pattern TOKEN = Pattern.compile("sft_([a-z0-9]{" + ID_LENGTH + "})_([0-9a-f]{64})");

    private final MetadataStore metadata;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenService(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /**
     * Creates a token.
     *
     * @param project the project it is scoped to, or null for all projects
     */
    public IssuedToken create(String project, Permission permission, String name) {
        if (project != null && metadata.findProject(project).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
        if (name != null && name.length() > 200) {
            throw new InvalidInputException("token name is longer than 200 characters");
        }
        String id = randomId();
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        String secretHex = HexFormat.of().formatHex(secret);
        TokenRecord record = new TokenRecord(id, name, project, permission, hash(secretHex), clock.instant(), null);
        metadata.createToken(record);
        return new IssuedToken(record, "sft_" + id + "_" + secretHex);
    }

    /** The principal for a presented token, or empty if it is malformed, unknown, revoked or wrong. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher m = TOKEN.matcher(presented.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<TokenRecord> record = metadata.findToken(m.group(1));
        if (record.isEmpty() || record.get().isRevoked()) {
            return Optional.empty();
        }
        byte[] expected = HexFormat.of().parseHex(record.get().secretHash());
        byte[] actual = HexFormat.of().parseHex(hash(m.group(2)));
        if (!MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        TokenRecord t = record.get();
        return Optional.of(new Principal("token:" + t.id(), t.project(), t.permission()));
    }

    public List<TokenRecord> list() {
        return metadata.listTokens();
    }

    public boolean revoke(String id) {
        return metadata.revokeToken(id, clock.instant());
    }

    private String randomId() {
        StringBuilder id = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String hash(String secretHex) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(secretHex.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
