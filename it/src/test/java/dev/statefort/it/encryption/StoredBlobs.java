package dev.statefort.it.encryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The blob files of the embedded default as an attacker with file access sees them:
 * {@code <data-dir>/blobs/<project>/<state>/<profile>/<uuid>} (or, written before profiles could be moved,
 * {@code <project>/<state>/<uuid>}), each a 9-byte header (docs/encryption-format.md) and the
 * ciphertext.
 */
final class StoredBlobs {
    static final int HEADER_LENGTH = 9;

    private StoredBlobs() {}

    static Path root(Path dataDir) {
        return dataDir.resolve("blobs");
    }

    /** The blob files of one state (temp files excluded), sorted by path. */
    static List<Path> ofState(Path dataDir, String project, String state) {
        Path dir = root(dataDir).resolve(project).resolve(state);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("~"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The only blob file of a state that has one version. */
    static Path onlyBlobOf(Path dataDir, String project, String state) {
        List<Path> files = ofState(dataDir, project, state);
        if (files.size() != 1) {
            throw new AssertionError("expected one blob file for " + project + "/" + state + ", found " + files);
        }
        return files.get(0);
    }

    /** The blob key a file is stored under: its path below the blob root. */
    static String blobKeyOf(Path dataDir, Path file) {
        return root(dataDir).relativize(file).toString().replace('\\', '/');
    }

    /** Inverts every bit of the byte at {@code offset} in place. */
    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, offset) != 1) {
                throw new IllegalArgumentException("offset " + offset + " is past the end of " + file);
            }
            one.put(0, (byte) ~one.get(0)).rewind();
            channel.write(one, offset);
            channel.force(true);
        }
    }

    /** Exchanges the contents of two files (their names stay). */
    static void swap(Path a, Path b) throws IOException {
        Path temp = a.resolveSibling("swap-" + a.getFileName());
        Files.move(a, temp, StandardCopyOption.ATOMIC_MOVE);
        Files.move(b, a, StandardCopyOption.ATOMIC_MOVE);
        Files.move(temp, b, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The data key ID a blob file's header names (bytes 5..8, big-endian). */
    static int dataKeyIdOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(HEADER_LENGTH);
            return ByteBuffer.wrap(header, 5, 4).getInt();
        }
    }

    /** Every blob file (path relative to the blob root) with the SHA-256 of its bytes. */
    static Map<String, String> snapshot(Path dataDir) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        Path root = root(dataDir);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                hashes.put(root.relativize(file).toString(), sha256(file));
            }
        }
        return hashes;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
