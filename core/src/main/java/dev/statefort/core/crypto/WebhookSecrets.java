package dev.statefort.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Webhook signing secrets: made here (the Standard Webhooks form {@code whsec_<base64 of 32 random
 * bytes>}), kept sealed. With encryption on, a secret is wrapped with the master key (AEAD, bound
 * to its webhook's ID) and {@link #rewrap rewrapped} by a master key rotation; with encryption off
 * it is stored as it is, like the states themselves.
 */
public final class WebhookSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "whsec_";
    private static final String SEALED = "mk:";
    private static final String PLAIN = "plain:";

    private final MasterKeyHolder master;

    /** @param master the master key, or null when encryption is off */
    public WebhookSecrets(MasterKeyHolder master) {
        this.master = master;
    }

    /** A new secret, to show once. */
    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The HMAC key of a secret made by {@link #generate}. */
    public static byte[] keyOf(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a webhook secret");
        }
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    public String seal(String webhookId, String secret) {
        byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
        if (master == null) {
            return PLAIN + Base64.getEncoder().encodeToString(plain);
        }
        return SEALED + Base64.getEncoder().encodeToString(master.wrapNew(plain, associatedData(webhookId)));
    }

    public String open(String webhookId, String sealed) {
        if (sealed.startsWith(PLAIN)) {
            return new String(Base64.getDecoder().decode(sealed.substring(PLAIN.length())), StandardCharsets.UTF_8);
        }
        if (!sealed.startsWith(SEALED) || master == null) {
            throw new CryptoException("webhook " + webhookId + "'s secret is sealed with a master key this node lacks");
        }
        byte[] wrapped = Base64.getDecoder().decode(sealed.substring(SEALED.length()));
        return new String(
                master.unwrap(wrapped, associatedData(webhookId), "webhook " + webhookId + "'s secret"),
                StandardCharsets.UTF_8);
    }

    /** {@code sealed} wrapped again with {@code target}'s primary key (a master key rotation), or null if plain. */
    static String rewrap(String webhookId, String sealed, MasterKey target) throws GeneralSecurityException {
        if (!sealed.startsWith(SEALED)) {
            return null;
        }
        byte[] plain =
                target.unwrap(Base64.getDecoder().decode(sealed.substring(SEALED.length())), associatedData(webhookId));
        return SEALED + Base64.getEncoder().encodeToString(target.wrap(plain, associatedData(webhookId)));
    }

    /** The master key that wrapped {@code sealed}, or 0 when it is plain. */
    static int wrappingKeyId(String sealed) {
        return sealed.startsWith(SEALED)
                ? MasterKey.wrappingKeyId(Base64.getDecoder().decode(sealed.substring(SEALED.length())))
                : 0;
    }

    private static byte[] associatedData(String webhookId) {
        return ("webhook/" + webhookId).getBytes(StandardCharsets.UTF_8);
    }
}
