package dev.statefort.core.crypto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/** A master key in a file (Tink JSON keyset, mode 0600), replaced atomically on rotation. */
public final class KeyFileMasterKeySource implements MasterKeySource {
    private final Path file;

    public KeyFileMasterKeySource(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Generates and saves a new key when the file does not exist; true if it did so. */
    public boolean createIfMissing() {
        if (exists()) {
            return false;
        }
        save(MasterKey.generate());
        return true;
    }

    @Override
    public MasterKey load() {
        if (!Files.isRegularFile(file)) {
            throw new CryptoException(description() + " does not exist; give the right --master-key-file "
                    + "(or STATEFORT_MASTER_KEY). Without the master key the encrypted states cannot be read.");
        }
        try {
            return MasterKey.parse(Files.readString(file, StandardCharsets.UTF_8), description());
        } catch (IOException e) {
            throw new CryptoException("cannot read " + description() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return "master key file " + file;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void save(MasterKey key) {
        Path dir = file.getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(key.toJson().getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
                dirChannel.force(true);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new CryptoException("cannot write " + description() + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
