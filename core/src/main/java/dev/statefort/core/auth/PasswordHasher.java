package dev.statefort.core.auth;

import dev.statefort.core.OverloadedException;
import dev.statefort.core.WorkPermits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (BouncyCastle, pure Java), encoded in the PHC string format {@code
 * $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} so the parameters can rise later without breaking
 * stored hashes. Defaults follow the OWASP recommendation (19 MiB, 2 passes, 1 lane). At most about
 * one hash per core runs at once (each takes 19 MiB and a core for tens of milliseconds); a caller
 * that waits more than a few seconds for its turn gets an {@link OverloadedException} (503).
 */
public final class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();
    private final WorkPermits permits;

    /** The OWASP cost (19 MiB, 2 passes, 1 lane), about one hash per core at once: what a node uses. */
    public static PasswordHasher standard() {
        return withCost(19 * 1024, 2, 1);
    }

    /** A custom cost (a cheap one for tests), about one hash per core at once. */
    public static PasswordHasher withCost(int memoryKib, int iterations, int parallelism) {
        return new PasswordHasher(
                memoryKib,
                iterations,
                parallelism,
                new WorkPermits("password checks", WorkPermits.perCore(), MAX_WAIT));
    }

    /** Custom cost and bound on concurrent hashing. */
    public PasswordHasher(int memoryKib, int iterations, int parallelism, WorkPermits permits) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.permits = permits;
    }

    /** How long a password check waits for its turn before 503. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = permits.run(() -> derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES));
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code encoded}; a malformed hash never matches. Constant time in the hash. */
    public boolean verify(String password, String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String kv : parts[3].split(",")) {
                String[] pair = kv.split("=", 2);
                int v = Integer.parseInt(pair[1]);
                switch (pair[0]) {
                    case "m" -> m = v;
                    case "t" -> t = v;
                    case "p" -> p = v;
                    default -> {
                        return false;
                    }
                }
            }
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            if (m < 8 || t < 1 || p < 1 || expected.length == 0) {
                return false;
            }
            int memory = m;
            int passes = t;
            int lanes = p;
            byte[] actual = permits.run(() -> derive(password, salt, memory, passes, lanes, expected.length));
            return MessageDigest.isEqual(expected, actual);
        } catch (OverloadedException busy) {
            throw busy; // no turn to check it: not a wrong password
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Spends the time of one verification, so an unknown user name takes as long as a wrong password. */
    public void verifyNothing(String password) {
        permits.run(() -> derive(password, new byte[SALT_BYTES], memoryKib, iterations, parallelism, HASH_BYTES));
    }

    private static byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m)
                .withIterations(t)
                .withParallelism(p)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
