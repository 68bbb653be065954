package dev.statefort.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A master key given in an environment variable, as Tink JSON or as base64 of it. Read-only. */
public final class EnvironmentMasterKeySource implements MasterKeySource {
    public static final String VARIABLE = "STATEFORT_MASTER_KEY";
    private final String value;

    public EnvironmentMasterKeySource(String value) {
        this.value = value.trim();
    }

    @Override
    public MasterKey load() {
        String json = value;
        if (!json.startsWith("{")) {
            try {
                json = new String(Base64.getDecoder().decode(json), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new CryptoException(description() + " is neither a Tink JSON keyset nor base64 of one");
            }
        }
        return MasterKey.parse(json, description());
    }

    @Override
    public String description() {
        return "environment variable " + VARIABLE;
    }

    @Override
    public boolean isWritable() {
        return false;
    }

    @Override
    public void save(MasterKey key) {
        throw new CryptoException("the master key comes from " + description() + ", which Statefort cannot change; "
                + "use --new-master-key-file to write the new key to a file");
    }
}
