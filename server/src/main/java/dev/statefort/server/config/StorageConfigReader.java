package dev.statefort.server.config;

import dev.statefort.core.storagetype.ProfileReader;
import dev.statefort.core.storagetype.StorageKey;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.store.fs.FileSystemStorageType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code storage.default} and {@code storage.<name>.<key>} (from the file, or the environment
 * as {@code STATEFORT_STORAGE_<NAME>_<KEY>}) into a {@link StorageConfig}. A key another type of
 * store would take is refused, never silently ignored; a secret is never part of a message.
 */
final class StorageConfigReader {
    static final String DEFAULT_KEY = "storage.default";
    private static final Pattern PROFILE_KEY = Pattern.compile("storage\\.([a-z][a-z0-9]{0,31})\\.([a-z.-]+)");
    private static final String NAME_RULE = "a lower-case letter, then up to 31 lower-case letters or digits";

    /** Every key of any type of profile (from {@link StorageTypes#ALL}), sorted. */
    private static final Set<String> ALL_KEYS = StorageTypes.keyNames();

    private StorageConfigReader() {}

    /** Whether {@code key} is a storage setting's file key ({@code storage.default}, {@code storage.<name>.<known key>}). */
    static boolean isStorageKey(String key) {
        if (key.equals(DEFAULT_KEY)) {
            return true;
        }
        Matcher m = PROFILE_KEY.matcher(key);
        return m.matches() && ALL_KEYS.contains(m.group(2));
    }

    /**
     * The storage settings among the environment's {@code STATEFORT_STORAGE_*} variables: file key to
     * variable name ({@code storage.s3main.access-key-id} for {@code STATEFORT_STORAGE_S3MAIN_ACCESS_KEY_ID}).
     * A variable that names no known key is a problem.
     */
    static Map<String, String> fromEnvironment(Map<String, String> env, List<String> problems) {
        // by file key: the variable that sets it
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((variable, value) -> {
            if (!variable.startsWith(GroupVariables.prefix("storage")) || value == null || value.isBlank()) {
                return;
            }
            if (variable.equals(ConfigLoader.envName(DEFAULT_KEY))) {
                out.put(DEFAULT_KEY, variable);
                return;
            }
            String key = GroupVariables.fileKey(variable, "storage", ALL_KEYS);
            if (key == null) {
                problems.add("environment variable " + variable + " names no storage setting (known keys: "
                        + String.join(", ", ALL_KEYS) + ")");
            } else {
                out.put(key, variable);
            }
        });
        return out;
    }

    /** The profiles named by the settings, {@value StorageConfig#LOCAL} always among them. */
    static StorageConfig read(Settings s, Path dataDir) {
        Map<String, Map<String, String>> byProfile = new LinkedHashMap<>();
        s.values().forEach((key, value) -> {
            Matcher m = PROFILE_KEY.matcher(key);
            if (m.matches() && m.group(1).equals("default")) {
                s.problems()
                        .add(s.where(key) + ": 'default' is not a profile name (storage.default names the"
                                + " profile new projects use)");
            } else if (m.matches()) {
                byProfile
                        .computeIfAbsent(m.group(1), n -> new LinkedHashMap<>())
                        .put(m.group(2), value);
            } else if (key.startsWith("storage.") && !key.equals(DEFAULT_KEY)) {
                s.problems()
                        .add(s.where(key) + ": a profile's name is " + NAME_RULE + ", and its settings are "
                                + String.join(", ", ALL_KEYS));
            }
        });
        List<StorageConfig.Profile<?>> profiles = new ArrayList<>();
        profiles.add(local(s, dataDir, byProfile.remove(StorageConfig.LOCAL)));
        byProfile.forEach((name, keys) -> {
            StorageConfig.Profile<?> p = profile(s, name, keys);
            if (p != null) {
                profiles.add(p);
            }
        });
        String defaultProfile = s.text(DEFAULT_KEY, StorageConfig.LOCAL);
        if (profiles.stream().noneMatch(p -> p.name().equals(defaultProfile))) {
            s.problems()
                    .add(s.where(DEFAULT_KEY) + " names storage profile '" + defaultProfile
                            + "', which is not defined (define storage." + defaultProfile + ".type)");
        }
        return new StorageConfig(defaultProfile, profiles);
    }

    /** {@code local}: {@code storage.local.dir}, or the older {@code blob-store.dir}, or {@code <data-dir>/blobs}. */
    private static StorageConfig.Profile<Path> local(Settings s, Path dataDir, Map<String, String> keys) {
        String filesystem = FileSystemStorageType.TYPE.name();
        String type = s.text("blob-store.type", filesystem);
        if (!type.equalsIgnoreCase(filesystem)) {
            s.problems().add(s.where("blob-store.type") + " must be '" + filesystem + "', not '" + type + "'");
        }
        if (keys != null) {
            refuseForeignKeys(s, StorageConfig.LOCAL, FileSystemStorageType.TYPE, keys);
            String localType = keys.getOrDefault(StorageKey.TYPE.name(), filesystem);
            if (!localType.equals(filesystem)) {
                s.problems()
                        .add(s.where("storage.local.type")
                                + ": profile 'local' is the data directory's blob store and must be '" + filesystem
                                + "'; name a profile of another type differently");
            }
            if (keys.containsKey(FileSystemStorageType.DIR.name()) && s.values().containsKey("blob-store.dir")) {
                s.problems()
                        .add("both " + s.where("storage.local.dir") + " and " + s.where("blob-store.dir")
                                + " name the local blob directory; set only storage.local.dir");
            }
        }
        Path fallback = s.path("blob-store.dir", dataDir == null ? null : dataDir.resolve("blobs"));
        return new StorageConfig.Profile<>(
                StorageConfig.LOCAL, FileSystemStorageType.TYPE, s.path("storage.local.dir", fallback));
    }

    private static StorageConfig.Profile<?> profile(Settings s, String name, Map<String, String> keys) {
        String typeKey = "storage." + name + ".type";
        String typeName = keys.get(StorageKey.TYPE.name());
        if (typeName == null) {
            s.problems()
                    .add("storage profile '" + name + "' has settings but no " + typeKey + " (" + StorageTypes.names()
                            + ")");
            return null;
        }
        StorageType<?> type = StorageTypes.named(typeName).orElse(null);
        if (type == null) {
            s.problems()
                    .add(s.where(typeKey) + " must be one of " + String.join(", ", StorageTypes.sortedNames())
                            + ", not '" + typeName + "'");
            return null;
        }
        refuseForeignKeys(s, name, type, keys);
        return read(s, name, type);
    }

    /** The profile its type reads from its keys, or null (the type added the problems). */
    private static <S> StorageConfig.Profile<S> read(Settings s, String name, StorageType<S> type) {
        S settings = type.read(new ProfileReader(s, name, type));
        return settings == null ? null : new StorageConfig.Profile<>(name, type, settings);
    }

    /** A key the profile's type does not take is a mistake (another type's setting), never ignored. */
    private static void refuseForeignKeys(Settings s, String name, StorageType<?> type, Map<String, String> keys) {
        List<String> known = type.keys().stream().map(StorageKey::name).toList();
        for (String key : keys.keySet()) {
            if (!known.contains(key)) {
                s.problems()
                        .add(s.where("storage." + name + "." + key) + " is not a setting of a " + type.name()
                                + " profile (its settings: " + String.join(", ", known) + ")");
            }
        }
    }
}
